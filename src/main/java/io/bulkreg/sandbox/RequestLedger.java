package io.bulkreg.sandbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bookkeeping of POSTs in arrival order, and the FIFO of armed faults. Numbering a request and taking its fault
 * happen under one lock so that "the next n POSTs" means the next n request numbers.
 */
final class RequestLedger {

    /** A request number and the fault it spends, or null. */
    record Admission(int requestNo, SandboxFault fault) {
    }

    private final Deque<SandboxFault> armed = new ArrayDeque<>();
    private final Map<Integer, ReceivedRequest> requests = new TreeMap<>();
    private final Map<Integer, Long> arrivals = new TreeMap<>();
    private final Map<SentDevice, Integer> sends = new HashMap<>();
    private int count;

    synchronized void arm(SandboxFault fault, int times) {
        for (int i = 0; i < times; i++) {
            armed.addLast(fault);
        }
    }

    synchronized Admission admit(long arrivedNanos) {
        int requestNo = ++count;
        arrivals.put(requestNo, arrivedNanos);
        requests.put(requestNo, new ReceivedRequest(requestNo, 0, ReceivedRequest.PENDING));
        return new Admission(requestNo, armed.pollFirst());
    }

    synchronized void counted(int requestNo, int deviceCount) {
        requests.put(requestNo, new ReceivedRequest(requestNo, deviceCount, ReceivedRequest.PENDING));
    }

    synchronized void carried(List<SentDevice> devices) {
        for (SentDevice device : devices) {
            sends.merge(device, 1, Integer::sum);
        }
    }

    synchronized Map<SentDevice, Integer> sends() {
        return Map.copyOf(sends);
    }

    /** System.nanoTime() of each POST's arrival, in request order. */
    synchronized List<Long> arrivals() {
        return List.copyOf(arrivals.values());
    }

    synchronized void answered(int requestNo, int httpStatus) {
        ReceivedRequest before = requests.get(requestNo);
        requests.put(requestNo, new ReceivedRequest(requestNo, before.deviceCount(), httpStatus));
    }

    synchronized int count() {
        return count;
    }

    synchronized List<ReceivedRequest> all() {
        return Collections.unmodifiableList(new ArrayList<>(requests.values()));
    }
}
