package io.bulkreg.sandbox;

import static io.bulkreg.sandbox.McsSandboxValidationTest.device;
import static io.bulkreg.sandbox.McsSandboxValidationTest.devices;
import static io.bulkreg.sandbox.SandboxHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class McsSandboxListenerTest {

    private McsSandbox sandbox = McsSandbox.start(SandboxSettings.defaults());

    @AfterEach
    void close() {
        sandbox.close();
    }

    @Test
    void given_a_listener_when_a_post_is_handled_then_received_comes_before_registration_and_answered_after() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch answered = new CountDownLatch(1);
        sandbox.setListener(new SandboxListener() {
            @Override
            public void received(int requestNo, int deviceCount) {
                events.add("received " + requestNo + " " + deviceCount + " registered=" + sandbox.devices().size());
            }

            @Override
            public void answered(int requestNo, int status) {
                events.add("answered " + requestNo + " " + status + " registered=" + sandbox.devices().size());
                answered.countDown();
            }
        });

        post(sandbox, devices(device("p", "a", "true", null), device("p", "b", "true", null)));
        // answered() runs after the answer is written, so the client may see the answer first.
        assertThat(answered.await(5, TimeUnit.SECONDS)).isTrue();

        assertThat(events).containsExactly("received 1 2 registered=0", "answered 1 200 registered=2");
    }

    @Test
    void given_concurrent_clients_when_they_post_then_every_device_is_registered_once_with_unique_ids() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> answers = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 40; i++) {
                String serial = "S" + i;
                answers.add(clients.submit(() -> post(sandbox, devices(device("p", "n", "false", serial), device("q", "n", "true", null))).statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            clients.shutdownNow();
        }

        Set<String> ids = new HashSet<>();
        sandbox.devices().forEach(device -> ids.add(device.deviceId()));
        assertThat(ids).hasSize(80);
        assertThat(sandbox.requestCount()).isEqualTo(40);
    }

    @Test
    void given_run_until_interrupted_when_the_thread_is_interrupted_then_it_returns_after_printing_no_token() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Thread runner;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            runner = new Thread(() -> McsSandbox.runUntilInterrupted(SandboxSettings.defaults().withToken("secret-token-42")));
            runner.start();
            for (int i = 0; i < 100 && printed.size() == 0; i++) {
                Thread.sleep(20);
            }
            runner.interrupt();
            runner.join(5_000);
        } finally {
            System.setOut(original);
        }

        assertThat(runner.isAlive()).isFalse();
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .startsWith("MCS sandbox listening on http://127.0.0.1:")
                .contains("(token from settings)")
                .doesNotContain("secret-token-42");
    }
}
