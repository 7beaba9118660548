package io.bulkreg.job;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Splits the pending devices into {@code gridSize} disjoint shares by {@code MOD(id, gridSize)}: no share to compute
 * beforehand, none depends on what is pending now, and rows imported later fall into a share by themselves. A
 * restarted execution keeps the shares it started with (Spring Batch reuses the stored partition contexts).
 */
public class ModuloPartitioner implements Partitioner {

    public static final String INDEX = "partition.index";
    public static final String COUNT = "partition.count";

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        for (int k = 0; k < gridSize; k++) {
            ExecutionContext context = new ExecutionContext();
            context.putInt(INDEX, k);
            context.putInt(COUNT, gridSize);
            partitions.put("partition" + k, context);
        }
        return partitions;
    }
}
