package io.bulkreg.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulkreg.ops.DockerfileInstructions.Instruction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Dockerfile's structure (no Docker engine here: DockerfileIT runs its extraction and launcher for real). */
class DockerfileTest {

    final DockerfileInstructions dockerfile = DockerfileInstructions.read();
    final DockerfileInstructions image = dockerfile.finalStage();

    @Test
    void givenTheImage_whenItStarts_thenJavaIsStartedInExecFormSoThatSigtermReachesTheJvm() {
        List<Instruction> entrypoints = image.of("ENTRYPOINT");

        assertThat(entrypoints).singleElement().satisfies(e -> {
            assertThat(e.execForm()).as("exec form, a JSON array").isNotNull();
            assertThat(e.execForm().get(0)).isEqualTo("java");
            assertThat(e.execForm()).endsWith("org.springframework.boot.loader.launch.JarLauncher");
        });
        assertThat(image.of("CMD")).singleElement().satisfies(c -> assertThat(c.execForm()).containsExactly("register"));
    }

    @Test
    void givenTheImage_whenItRuns_thenItRunsAsANumericNonRootUser() {
        List<Instruction> users = image.of("USER");

        assertThat(users).isNotEmpty();
        String user = users.get(users.size() - 1).arguments().split(":")[0];
        assertThat(user).matches("\\d+").isNotEqualTo("0");
        int userAt = image.all().indexOf(users.get(users.size() - 1));
        assertThat(image.all().subList(userAt, image.all().size())).noneMatch(i -> i.keyword().equals("RUN"));
    }

    @Test
    void givenTheImage_whenARescueFallsBack_thenItsFolderIsOnTheVolumeNotInTheContainer() {
        String volume = image.of("VOLUME").get(0).execForm().get(0);

        assertThat(image.of("ENV")).extracting(Instruction::arguments)
                .contains("BULKREG_FAULTS_RESCUEFALLBACKDIR=" + volume + "/rescue-fallback");
    }

    @Test
    void givenBothStages_whenBuilt_thenTheyStartFromTheJava17Jre() {
        assertThat(dockerfile.of("FROM")).hasSize(2)
                .allSatisfy(f -> assertThat(f.arguments()).startsWith("eclipse-temurin:17-jre"));
    }

    @Test
    void givenTheLayeredJar_whenTheImageIsBuilt_thenItsFourLayersAreCopiedLeastChangedFirst() {
        assertThat(dockerfile.of("RUN")).anySatisfy(r -> assertThat(r.arguments())
                .contains("java -Djarmode=tools -jar bulkreg.jar extract --layers --launcher --destination extracted"));
        assertThat(image.of("COPY")).extracting(Instruction::arguments).containsExactly(
                "--from=layers /build/extracted/dependencies/ ./",
                "--from=layers /build/extracted/spring-boot-loader/ ./",
                "--from=layers /build/extracted/snapshot-dependencies/ ./",
                "--from=layers /build/extracted/application/ ./");
    }

    @Test
    void givenTheBuildContext_whenSent_thenOnlyTheJarGoesInNotTheDatabaseOrSecrets() throws Exception {
        assertThat(Files.readAllLines(Path.of(".dockerignore"))).filteredOn(l -> !l.startsWith("#") && !l.isBlank())
                .containsExactly("*", "!target/bulkreg.jar");
    }
}
