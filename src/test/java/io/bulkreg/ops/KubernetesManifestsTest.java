package io.bulkreg.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.bulkreg.cli.ExitCodes;
import io.bulkreg.job.ShutdownGrace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;

/** jobs/kubernetes/, read into fabric8's Kubernetes model types, checked against what the job needs. */
class KubernetesManifestsTest {

    static final Path DIR = Path.of("jobs/kubernetes");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static <T> T read(String file, Class<T> type) {
        try {
            return YAML.readValue(DIR.resolve(file).toFile(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    final CronJob cronJob = read("cronjob.yaml", CronJob.class);
    final Job rerun = read("rerun/rerun-job.yaml", Job.class);
    final ConfigMap settings = read("configmap.yaml", ConfigMap.class);
    final PersistentVolumeClaim data = read("pvc.yaml", PersistentVolumeClaim.class);
    final Job workers = read("workers/workers-job.yaml", Job.class);
    final PersistentVolumeClaim workersData = read("workers/workers-pvc.yaml", PersistentVolumeClaim.class);

    PodSpec workersPod() {
        return workers.getSpec().getTemplate().getSpec();
    }

    Container workersContainer() {
        assertThat(workersPod().getContainers()).hasSize(1);
        return workersPod().getContainers().get(0);
    }

    String workersEnv(String name) {
        return workersContainer().getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue)
                .findFirst().orElseThrow(() -> new AssertionError("the workers' pod sets no " + name));
    }

    JobSpec job() {
        return cronJob.getSpec().getJobTemplate().getSpec();
    }

    PodSpec pod() {
        return job().getTemplate().getSpec();
    }

    Container container() {
        assertThat(pod().getContainers()).hasSize(1);
        return pod().getContainers().get(0);
    }

    String env(String name) {
        return container().getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElseThrow();
    }

    Volume volumeMountedAt(String path) {
        VolumeMount mount = container().getVolumeMounts().stream().filter(m -> path.startsWith(m.getMountPath() + "/"))
                .findFirst().orElseThrow(() -> new AssertionError("no volume is mounted above " + path));
        return pod().getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
    }

    static Duration readTimeout() throws IOException {
        Map<?, ?> yml = YAML.readValue(Path.of("src/main/resources/application.yml").toFile(), Map.class);
        Map<?, ?> mcs = (Map<?, ?>) ((Map<?, ?>) yml.get("bulkreg")).get("mcs");
        return DurationStyle.detectAndParse(mcs.get("read-timeout").toString());
    }

    static Duration shutdownGrace() throws IOException {
        Map<?, ?> yml = YAML.readValue(Path.of("src/main/resources/application.yml").toFile(), Map.class);
        Map<?, ?> lease = (Map<?, ?>) ((Map<?, ?>) yml.get("bulkreg")).get("lease");
        return DurationStyle.detectAndParse(lease.get("shutdown-grace").toString());
    }

    @Test
    void givenTheCronJob_whenARunIsStillGoingAtTheNextSchedule_thenNoSecondRunStarts() {
        assertThat(cronJob.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        assertThat(job().getPodReplacementPolicy()).isEqualTo("Failed");
    }

    @Test
    void givenTheCronJob_whenTheJobExitsWithACodeARerunCannotFix_thenTheJobFailsWithoutRetry() {
        List<PodFailurePolicyRule> failJob = job().getPodFailurePolicy().getRules().stream()
                .filter(r -> r.getAction().equals("FailJob")).toList();

        assertThat(failJob).singleElement().satisfies(r -> {
            assertThat(r.getOnExitCodes().getOperator()).isEqualTo("In");
            assertThat(r.getOnExitCodes().getContainerName()).isEqualTo(container().getName());
            assertThat(r.getOnExitCodes().getValues()).containsExactlyInAnyOrder(ExitCodes.USAGE, ExitCodes.ATTENTION,
                    ExitCodes.FILES_REFUSED, ExitCodes.STOPPED);
        });
        assertThat(job().getBackoffLimit()).isPositive();   // exit 1 is retried: a rerun continues
    }

    @Test
    void givenANodeDrain_whenTheRunExitsStoppedOnItsSigterm_thenThePodIsRetriedRatherThanTheJobFailed() {
        List<PodFailurePolicyRule> rules = job().getPodFailurePolicy().getRules();

        // Rules apply in order: the disruption rule must come before the exit codes that fail the Job.
        assertThat(rules.get(0).getAction()).isEqualTo("Ignore");
        assertThat(rules.get(0).getOnPodConditions()).anySatisfy(c -> assertThat(c.getType()).isEqualTo("DisruptionTarget"));
    }

    @Test
    void givenThePodFailurePolicy_whenKubernetesValidatesIt_thenThePodNeverRestartsInPlace() {
        assertThat(pod().getRestartPolicy()).isEqualTo("Never");
        assertThat(job().getPodFailurePolicy().getRules()).anySatisfy(r -> assertThat(r.getAction()).isEqualTo("Ignore"));
    }

    @Test
    void givenTheShippedSettings_whenSigtermArrivesDuringARequest_thenTheShutdownGraceCoversItsReadTimeoutAndStore()
            throws IOException {
        Duration readTimeout = readTimeout();

        assertThat(ShutdownGrace.problem(shutdownGrace(), readTimeout)).as("application.yml").isEmpty();
        assertThat(ShutdownGrace.problem(DurationStyle.detectAndParse(settings.getData().get("BULKREG_LEASE_SHUTDOWNGRACE")),
                readTimeout)).as("the ConfigMap").isEmpty();
    }

    @Test
    void givenAPodBeingStopped_whenSigtermArrives_thenTheGracePeriodOutlastsTheJobsShutdownGrace() throws IOException {
        long grace = pod().getTerminationGracePeriodSeconds();

        assertThat(grace).as("the grace, then the summary the job prints after it")
                .isGreaterThanOrEqualTo(shutdownGrace().toSeconds() + 15);
        assertThat(grace).isGreaterThan(DurationStyle.detectAndParse(settings.getData().get("BULKREG_LEASE_SHUTDOWNGRACE")).toSeconds());
    }

    @Test
    void givenTheToken_whenThePodStarts_thenTheJobReadsItFromASecretMountedAsAFile() {
        String tokenFile = env("BULKREG_MCS_TOKEN_FILE");
        Volume volume = volumeMountedAt(tokenFile);

        assertThat(volume.getSecret()).isNotNull();
        assertThat(volume.getSecret().getSecretName()).isEqualTo("bulkreg-mcs-token");
        assertThat(tokenFile).endsWith("/token");   // the Secret's key becomes the file name
    }

    @Test
    void givenTheDatabasePassword_whenThePodStarts_thenSpringBootReadsItFromASecretFileNamedAfterTheProperty() {
        String dir = env("SPRING_CONFIG_IMPORT").replaceFirst("^configtree:", "");
        Volume volume = volumeMountedAt(dir + "spring.datasource.password");

        assertThat(env("SPRING_CONFIG_IMPORT")).startsWith("configtree:");
        assertThat(volume.getSecret().getSecretName()).isEqualTo("bulkreg-db");
        assertThat(volume.getSecret().getItems()).singleElement()
                .satisfies(i -> assertThat(i.getPath()).isEqualTo("spring.datasource.password"));
    }

    @Test
    void givenTheManifests_whenSecretsAreLookedFor_thenNoneIsInlinedInAnEnvironmentVariableOrTheConfigMap() {
        assertThat(container().getEnv()).allSatisfy(e -> {
            assertThat(e.getValueFrom()).as(e.getName()).isNull();
            assertThat(e.getName()).doesNotContainPattern("(?i)token$|password|key$");
        });
        assertThat(settings.getData().keySet()).noneMatch(k -> k.matches("(?i).*(TOKEN|PASSWORD|CRYPTO_KEY).*") && !k.endsWith("_FILE"));
        assertThat(pod().getVolumes()).filteredOn(v -> v.getSecret() != null).allSatisfy(v -> assertThat(v.getSecret().getDefaultMode()).isEqualTo(0440));
    }

    @Test
    void givenTheSettings_whenThePodStarts_thenTheyComeFromTheConfigMapOfTheManifests() {
        assertThat(container().getEnvFrom()).singleElement()
                .satisfies(e -> assertThat(e.getConfigMapRef().getName()).isEqualTo(settings.getMetadata().getName()));
        assertThat(settings.getData()).containsKeys("BULKREG_MCS_BASE_URL", "SPRING_DATASOURCE_URL");
    }

    @Test
    void givenTheRescueFolder_whenAPodFails_thenItIsOnThePersistentVolumeClaimNotInThePod() {
        Volume volume = volumeMountedAt(settings.getData().get("BULKREG_FAULTS_RESCUEDIR"));

        assertThat(volume.getPersistentVolumeClaim().getClaimName()).isEqualTo(data.getMetadata().getName());
    }

    @Test
    void givenTheRescueFolderRefusesAFile_whenTheRescueFallsBack_thenTheFallbackIsOnThePersistentVolumeClaimNotInThePod() {
        Volume volume = volumeMountedAt(settings.getData().get("BULKREG_FAULTS_RESCUEFALLBACKDIR"));

        assertThat(volume.getPersistentVolumeClaim()).as("not an emptyDir: the pod's /tmp dies with the pod")
                .isNotNull();
        assertThat(volume.getPersistentVolumeClaim().getClaimName()).isEqualTo(data.getMetadata().getName());
    }

    @Test
    void givenThePod_whenItRuns_thenItRunsAsTheImagesNonRootUserWithoutPrivilegeEscalation() throws IOException {
        assertThat(pod().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod().getSecurityContext().getRunAsUser()).isPositive();
        assertThat(Files.readString(Path.of("Dockerfile"))).contains("USER " + pod().getSecurityContext().getRunAsUser() + ":");
        assertThat(container().getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container().getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    }

    @Test
    void givenTheContainer_whenScheduled_thenItAsksForCpuAndMemoryAndIsBoundInMemory() {
        Map<String, Quantity> requests = container().getResources().getRequests();
        Map<String, Quantity> limits = container().getResources().getLimits();

        assertThat(requests).containsKeys("cpu", "memory");
        assertThat(Quantity.getAmountInBytes(limits.get("memory"))).isGreaterThanOrEqualTo(Quantity.getAmountInBytes(requests.get("memory")));
    }

    @Test
    void givenTheRerunJob_whenCreated_thenItRestartsTheLastFailedExecutionOnceWithTheCronJobsPod() {
        PodSpec rerunPod = rerun.getSpec().getTemplate().getSpec();
        Container rerunContainer = rerunPod.getContainers().get(0);

        assertThat(rerunContainer.getArgs()).containsExactly("restart", "--last-failed");
        assertThat(rerun.getSpec().getBackoffLimit()).isZero();
        assertThat(rerunPod.getRestartPolicy()).isEqualTo("Never");
        rerunContainer.setArgs(container().getArgs());
        assertThat(rerunPod).isEqualTo(pod());   // the same image, settings, secrets, volumes and user
    }

    @Test
    void givenTheWorkersJob_whenCreated_thenSeveralPodsRunRegisterAsAWorkQueue() {
        assertThat(workers.getSpec().getParallelism()).isGreaterThanOrEqualTo(2);
        // No completions: the Job is done once a pod has found nothing left and the others have ended.
        assertThat(workers.getSpec().getCompletions()).isNull();
        assertThat(workersContainer().getArgs()).containsExactly("register");
        assertThat(workersPod().getRestartPolicy()).isEqualTo("Never");
        assertThat(workers.getSpec().getPodFailurePolicy()).isEqualTo(job().getPodFailurePolicy());
    }

    @Test
    void givenTheWorkersJob_whenEveryWorkerSendsAtItsRateLimit_thenTogetherTheyStayWithinThePlatformsLimit() {
        int platformLimit = Integer.parseInt(workers.getMetadata().getAnnotations().get("bulkreg.io/platform-requests-per-second"));
        int perWorker = Integer.parseInt(workersEnv("BULKREG_MCS_MAXREQUESTSPERSECOND"));

        assertThat(perWorker).isPositive();
        assertThat(perWorker * workers.getSpec().getParallelism()).isLessThanOrEqualTo(platformLimit);
    }

    @Test
    void givenTheWorkersJob_whenPodsRunOnSeveralNodes_thenTheirRescueFolderIsOneClaimEveryNodeCanMount() {
        String rescueDir = settings.getData().get("BULKREG_FAULTS_RESCUEDIR");
        VolumeMount mount = workersContainer().getVolumeMounts().stream()
                .filter(m -> rescueDir.startsWith(m.getMountPath() + "/")).findFirst().orElseThrow();
        Volume volume = workersPod().getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                .orElseThrow();

        assertThat(volume.getPersistentVolumeClaim().getClaimName()).isEqualTo(workersData.getMetadata().getName());
        assertThat(workersData.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
    }

    @Test
    void givenTheWorkersJob_whenComparedWithTheCronJob_thenOnlyThePerWorkerSettingsAndTheDataClaimDiffer() {
        PodSpec pod = YAML.convertValue(workersPod(), PodSpec.class);
        Container container = pod.getContainers().get(0);
        container.getEnv().removeIf(e -> e.getName().equals("BULKREG_MCS_MAXREQUESTSPERSECOND")
                || e.getName().equals("BULKREG_CONCURRENCY"));
        pod.getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null)
                .forEach(v -> v.getPersistentVolumeClaim().setClaimName(data.getMetadata().getName()));

        assertThat(pod).isEqualTo(pod());   // the same image, settings, secrets, volumes and user
    }

    @Test
    void givenEveryManifest_whenRead_thenNoFieldIsUnknownToTheKubernetesModel() {
        List<String> unknown = new ArrayList<>();
        for (Object manifest : List.of(cronJob, rerun, settings, data, workers, workersData)) {
            collectUnknownFields(manifest, manifest.getClass().getSimpleName(), unknown);
        }

        assertThat(unknown).isEmpty();
    }

    /** fabric8 keeps a misspelt field in additionalProperties instead of refusing it: look there, everywhere. */
    static void collectUnknownFields(Object node, String path, List<String> unknown) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                collectUnknownFields(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method m : node.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getName().equals("getClass")) {
                continue;
            }
            try {
                Object value = m.invoke(node);
                if (m.getName().equals("getAdditionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        unknown.add(path + ": " + extra.keySet());
                    }
                } else {
                    collectUnknownFields(value, path + "." + m.getName().substring(3), unknown);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
