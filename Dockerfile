# The image k8s/ runs as `sluice`: a JRE 17 with app/target/sluice.jar and its libraries.
# Nothing is downloaded at run time (DJL offline, PyTorch natives from the lib/ jars), so the image
# is complete as built. Build the application first, then the image from the repository root:
#   mvn -B -DskipTests package
#   docker build -t sluice:dev .
# The CUDA image (sluice:cuda, for the gpu overlay) is the same file with a CUDA runtime base and
# DJL's CUDA native jar in place of the CPU one; docs/operations.md ("The image") has the steps.
ARG JRE_IMAGE=eclipse-temurin:17-jre-jammy
FROM ${JRE_IMAGE}

# A fixed non-root user; the pods' securityContext runs as the same uid and gives volumes its group.
RUN groupadd --system --gid 10001 sluice \
    && useradd --system --uid 10001 --gid sluice --home-dir /var/lib/sluice --no-create-home sluice \
    && mkdir -p /var/lib/sluice \
    && chown sluice:sluice /var/lib/sluice

# The libraries change less often than the application jar: a separate, cacheable layer.
COPY app/target/lib/ /opt/sluice/lib/
COPY app/target/sluice.jar /opt/sluice/sluice.jar

# Writable places: the bundled base model is extracted under SLUICE_HOME on first use, DJL unpacks
# the PyTorch natives under DJL_CACHE_DIR.
ENV SLUICE_HOME=/var/lib/sluice/home \
    DJL_CACHE_DIR=/var/lib/sluice/djl

USER 10001:10001
WORKDIR /var/lib/sluice
# ingest's and the registry UI's HTTP ports, the curator's, trainer's and evaluator's metrics ports.
EXPOSE 8080 8090 9464 9465 9466
ENTRYPOINT ["java", "-Dai.djl.offline=true", "-jar", "/opt/sluice/sluice.jar"]
CMD ["--help"]
