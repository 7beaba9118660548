package io.bulkreg.mcs;

/**
 * The platform's error as far as it could be read: the HTTP status always, the rest from either documented
 * body shape ({@code {"results":{code,url,description}}} or {@code {"errors":[{code,message}],...}}), else null.
 */
public record McsError(int httpStatus, Integer code, String url, String description) {

    /** Code 1002: "You do not have access right to this API". */
    public static final int NO_ACCESS_RIGHT = 1002;

    public String summary() {
        return "HTTP " + httpStatus + (code == null ? "" : " code " + code) + (description == null ? "" : ": " + description);
    }
}
