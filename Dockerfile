FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY matching matching
COPY workers workers
COPY api api
COPY blindmatch blindmatch
RUN pip install --no-cache-dir .
# The service never needs root: it runs as an unprivileged user that owns only its data folder, so a
# flaw in a request handler cannot rewrite the installed code or the rest of the image.
RUN useradd --system --uid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin blindmatch \
    && mkdir -p /data/index-snapshots /import \
    && chown blindmatch:blindmatch /data /data/index-snapshots
ENV BLINDMATCH_DATA_DIR=/data
VOLUME /data
USER 10001:10001
EXPOSE 8000
CMD ["blindmatch", "serve", "--host", "0.0.0.0", "--port", "8000", "--no-worker"]
