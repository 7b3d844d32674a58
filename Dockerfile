FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY matching matching
COPY workers workers
COPY api api
COPY blindmatch blindmatch
RUN pip install --no-cache-dir .
ENV BLINDMATCH_DATA_DIR=/data
VOLUME /data
EXPOSE 8000
CMD ["blindmatch", "serve", "--host", "0.0.0.0", "--port", "8000", "--no-worker"]
