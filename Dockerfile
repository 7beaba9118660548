# bulkreg's image, from the jar Maven built (no Maven, no sources, no network in the image build):
#   ./mvnw -q package -DskipTests && docker build -t bulkreg:0.1.0 .
# The jar is split into Spring Boot's layers, least to most often changed, so that a new build of the
# application replaces only the last layer.

FROM eclipse-temurin:17-jre AS layers
WORKDIR /build
COPY target/bulkreg.jar bulkreg.jar
RUN java -Djarmode=tools -jar bulkreg.jar extract --layers --launcher --destination extracted

FROM eclipse-temurin:17-jre
# A fixed numeric user: Kubernetes' runAsNonRoot can only check a numeric USER.
RUN groupadd --system --gid 10001 bulkreg \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/bulkreg --no-create-home --shell /usr/sbin/nologin bulkreg \
 && mkdir -p /var/lib/bulkreg \
 && chown 10001:10001 /var/lib/bulkreg
WORKDIR /app
COPY --from=layers /build/extracted/dependencies/ ./
COPY --from=layers /build/extracted/spring-boot-loader/ ./
COPY --from=layers /build/extracted/snapshot-dependencies/ ./
COPY --from=layers /build/extracted/application/ ./
USER 10001:10001
# Relative paths (H2's default ./data, the rescue folder data/rescue) land in the job's own folder,
# a volume in production.
WORKDIR /var/lib/bulkreg
VOLUME ["/var/lib/bulkreg"]
# The rescue's fallback folder on the volume too: the container's /tmp goes with the container, and keys rescued
# there with it.
ENV BULKREG_FAULTS_RESCUEFALLBACKDIR=/var/lib/bulkreg/rescue-fallback
# Exec form: java is PID 1 and gets SIGTERM itself (docker stop, a pod stopped), so a run stops gracefully.
ENTRYPOINT ["java", "-cp", "/app", "org.springframework.boot.loader.launch.JarLauncher"]
CMD ["register"]
