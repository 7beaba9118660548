-- Answers the job could not use whole (a 200 with fewer credentials than devices, an entry without deviceId, a 201):
-- their devices are IN_DOUBT, and the answer may carry keys the platform issued once. Kept, sealed like device_key
-- (AES-GCM under key_id, bound to the request id; key_id NULL: the body's bytes as received, base64), for
-- `bulkreg reconcile`, which stores the keys it can match and then sets settled_at. One answer per request.
CREATE TABLE kept_answer (
    request_id     VARCHAR(36)  PRIMARY KEY,
    received_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    http_status    INT          NOT NULL,
    body_sealed    VARCHAR      NOT NULL,
    key_id         VARCHAR(100),
    settled_at     TIMESTAMP WITH TIME ZONE,
    settled_detail VARCHAR(1000)
);
CREATE INDEX ix_kept_answer_unsettled ON kept_answer (settled_at, received_at);
