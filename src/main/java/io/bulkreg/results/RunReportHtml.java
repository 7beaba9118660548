package io.bulkreg.results;

import java.util.List;
import java.util.Locale;

/** The run report as one self-contained HTML page: inline CSS, an inline SVG chart, no script, nothing fetched. */
final class RunReportHtml {

    private RunReportHtml() {
    }

    static String render(RunReport.Report r) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
                .append("<title>bulkreg run ").append(r.executionId()).append("</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}")
                .append("h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}")
                .append("table{border-collapse:collapse;margin:.5em 0}td,th{padding:.3em .8em;border:1px solid #ddd;text-align:right}")
                .append("th{background:#f4f4f4}td.l,th.l{text-align:left}.tiles{display:flex;gap:1em;flex-wrap:wrap}")
                .append(".tile{border:1px solid #ddd;border-radius:6px;padding:.6em 1em;min-width:8em}")
                .append(".tile b{display:block;font-size:1.6em}.ok{color:#1a7f37}.bad{color:#c62828}.warn{color:#b26a00}")
                .append("code{background:#f4f4f4;padding:0 .3em}</style></head><body>\n");
        h.append("<h1>bulkreg run ").append(r.executionId()).append(": <span class=\"")
                .append("COMPLETED".equals(r.status()) ? "ok" : "bad").append("\" id=\"status\">").append(esc(r.status()))
                .append("</span></h1>\n<p>Started ").append(esc(r.started())).append(", ended ")
                .append(esc(r.ended() == null ? "(still running)" : r.ended())).append(" &middot; took ")
                .append(RunReport.seconds(r.durationSeconds())).append(" &middot; ")
                .append(String.format(Locale.ROOT, "%.1f", r.devicesPerSecond())).append(" devices/s</p>\n");
        RunFigures.Figures f = r.figures();
        h.append("<div class=\"tiles\">");
        tile(h, "registered", f.registered(), "ok");
        tile(h, "rejected", f.rejected(), f.rejected() > 0 ? "bad" : "");
        if (f.heldByPlatform() > 0) {
            tile(h, "held-by-platform", f.heldByPlatform(), "warn");
        }
        tile(h, "in-doubt", f.inDoubt() + f.recoveredInDoubt(), f.inDoubt() + f.recoveredInDoubt() > 0 ? "warn" : "");
        tile(h, "requests", f.requests(), "");
        if (r.storedFromRescue() > 0) {
            tile(h, "stored-from-rescue", r.storedFromRescue(), "ok");
        }
        if (!r.refusedFiles().isEmpty()) {
            tile(h, "refused-files", r.refusedFiles().size(), "bad");
        }
        if (!r.unreadableFiles().isEmpty()) {
            tile(h, "unreadable-files", r.unreadableFiles().size(), "bad");
        }
        h.append("</div>\n");

        h.append("<h2>Lots</h2>\n<table id=\"lots\"><tr><th class=\"l\">lot</th><th>total</th><th>registered</th>")
                .append("<th>rejected</th><th>held by platform</th><th>in doubt</th><th>pending</th><th>in flight</th>")
                .append("<th>input errors</th></tr>\n");
        for (LotStatus l : r.lots()) {
            h.append("<tr><td class=\"l\">").append(esc(l.lotId())).append("</td>");
            for (long n : new long[] {l.total(), l.registered(), l.rejected(), l.heldByPlatform(), l.inDoubt(),
                    l.pending(), l.inFlight(), l.inputErrors()}) {
                h.append("<td>").append(n).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");

        h.append("<h2>Devices per second</h2>\n").append(chart(r.devicesPerSecondOverTime()));

        h.append("<h2>Not registered in this run, by error</h2>\n");
        if (r.errors().isEmpty()) {
            h.append("<p id=\"errors\">None.</p>\n");
        } else {
            h.append("<table id=\"errors\"><tr><th class=\"l\">kind</th><th>HTTP</th><th>platform code</th>")
                    .append("<th class=\"l\">description</th><th>devices</th><th class=\"l\">examples (file:line)</th></tr>\n");
            for (RunReport.ErrorGroup g : r.errors()) {
                h.append("<tr><td class=\"l\">").append(esc(g.kind())).append("</td><td>")
                        .append(g.httpStatus() == null ? "" : g.httpStatus()).append("</td><td>")
                        .append(g.errorCode() == null ? "" : g.errorCode()).append("</td><td class=\"l\">")
                        .append(esc(g.description())).append("</td><td>").append(g.devices()).append("</td><td class=\"l\">")
                        .append(esc(String.join("; ", g.examples()))).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }

        files(h, r);

        h.append("<h2>Devices in doubt</h2>\n");
        if (r.inDoubt().isEmpty()) {
            h.append("<p id=\"in-doubt\">None.</p>\n");
        } else {
            h.append("<ul id=\"in-doubt\">");
            for (RunReport.InDoubt d : r.inDoubt()) {
                h.append("<li><b>").append(esc(d.lot())).append(": ").append(d.devices()).append(" devices.</b> ")
                        .append(esc(d.whatToDo())).append("</li>");
            }
            h.append("</ul>\n");
        }
        h.append("<p style=\"color:#777;font-size:.85em\">The same figures as JSON: run-").append(r.executionId())
                .append(".json. Credentials are not in this report: <code>bulkreg export --lot LOT</code>.</p>\n")
                .append("</body></html>\n");
        return h.toString();
    }

    /** Files of which nothing was imported: refused whole or unreadable (a person must look), or not taken yet. */
    private static void files(StringBuilder h, RunReport.Report r) {
        h.append("<h2>Lot files not imported</h2>\n");
        if (r.refusedFiles().isEmpty() && r.unreadableFiles().isEmpty() && r.waitingFiles().isEmpty()) {
            h.append("<p id=\"files\">None.</p>\n");
            return;
        }
        list(h, "files-refused", "Refused, not lot files (fix or remove them):", r.refusedFiles());
        list(h, "files-unreadable", "Cannot be read (nothing of them was imported):", r.unreadableFiles());
        list(h, "files-waiting", "Not taken yet (the next run takes them once complete):", r.waitingFiles());
    }

    private static void list(StringBuilder h, String id, String title, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        h.append("<p>").append(esc(title)).append("</p>\n<ul id=\"").append(id).append("\">");
        for (String line : lines) {
            h.append("<li>").append(esc(line)).append("</li>");
        }
        h.append("</ul>\n");
    }

    private static void tile(StringBuilder h, String id, long n, String style) {
        h.append("<div class=\"tile\"><b id=\"").append(id).append("\" class=\"").append(style).append("\">").append(n)
                .append("</b>").append(id.replace('-', ' ')).append("</div>");
    }

    /** Bars of devices answered per second, with the axes labelled. */
    static String chart(List<RunReport.Second> seconds) {
        if (seconds.isEmpty()) {
            return "<p id=\"chart\">No device was answered in this run.</p>\n";
        }
        int w = 900;
        int h = 220;
        int left = 50;
        int bottom = 30;
        long max = Math.max(1, seconds.stream().mapToLong(RunReport.Second::devices).max().orElse(1));
        double bar = (double) (w - left - 10) / seconds.size();
        StringBuilder s = new StringBuilder();
        s.append("<svg id=\"chart\" width=\"").append(w).append("\" height=\"")
                .append(h).append("\" role=\"img\" aria-label=\"devices per second\">")
                .append("<line x1=\"").append(left).append("\" y1=\"").append(h - bottom).append("\" x2=\"").append(w - 10)
                .append("\" y2=\"").append(h - bottom).append("\" stroke=\"#999\"/>")
                .append("<line x1=\"").append(left).append("\" y1=\"10\" x2=\"").append(left).append("\" y2=\"")
                .append(h - bottom).append("\" stroke=\"#999\"/>")
                .append("<text x=\"").append(left - 6).append("\" y=\"16\" text-anchor=\"end\" font-size=\"11\">")
                .append(max).append("</text><text x=\"").append(left - 6).append("\" y=\"").append(h - bottom)
                .append("\" text-anchor=\"end\" font-size=\"11\">0</text>")
                .append("<text x=\"").append(left).append("\" y=\"").append(h - 10).append("\" font-size=\"11\">0 s</text>")
                .append("<text x=\"").append(w - 10).append("\" y=\"").append(h - 10)
                .append("\" text-anchor=\"end\" font-size=\"11\">").append(seconds.size()).append(" s</text>");
        for (RunReport.Second sec : seconds) {
            double height = (double) sec.devices() / max * (h - bottom - 10);
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#3b7dd8\">"
                            + "<title>second %d: %d devices</title></rect>",
                    left + sec.second() * bar + 0.5, h - bottom - height, Math.max(bar - 1, 0.5), height, sec.second(),
                    sec.devices()));
        }
        return s.append("</svg>\n").toString();
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
