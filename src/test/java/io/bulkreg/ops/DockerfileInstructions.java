package io.bulkreg.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The instructions of the Dockerfile at the root, continuation lines joined, comments dropped. */
record DockerfileInstructions(List<Instruction> all) {

    static final Path FILE = Path.of("Dockerfile");

    record Instruction(String keyword, String arguments) {

        /** The JSON array of an exec-form instruction; null for shell form. */
        List<String> execForm() {
            if (!arguments.startsWith("[")) {
                return null;
            }
            try {
                return Arrays.asList(new ObjectMapper().readValue(arguments, String[].class));
            } catch (IOException e) {
                return null;
            }
        }
    }

    static DockerfileInstructions read() {
        try {
            List<Instruction> all = new ArrayList<>();
            StringBuilder pending = new StringBuilder();
            for (String line : Files.readAllLines(FILE)) {
                if (line.isBlank() || line.stripLeading().startsWith("#")) {
                    continue;
                }
                if (line.endsWith("\\")) {
                    pending.append(line, 0, line.length() - 1).append(' ');
                    continue;
                }
                String full = (pending + line).strip();
                pending.setLength(0);
                String[] parts = full.split("\\s+", 2);
                all.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1].strip() : ""));
            }
            return new DockerfileInstructions(all);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Instruction> of(String keyword) {
        return all.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** The instructions of the last stage: what the image is. */
    DockerfileInstructions finalStage() {
        int last = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).keyword().equals("FROM")) {
                last = i;
            }
        }
        return new DockerfileInstructions(all.subList(last, all.size()));
    }
}
