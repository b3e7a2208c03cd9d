# Footnote on the bundled corpus: docker build -t footnote . && docker run -p 8000:8000 footnote
FROM python:3.11-slim

ENV PIP_NO_CACHE_DIR=1 PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 ANONYMIZED_TELEMETRY=False
WORKDIR /app

# Dependency layer first, so a code change rebuilds in seconds. torch comes from the CPU-only
# index: the default wheel on PyPI bundles CUDA and weighs gigabytes.
COPY constraints.txt ./
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu \
 && grep -v '^torch==' constraints.txt > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt

COPY . .
RUN pip install --no-deps -e . && footnote ingest

EXPOSE 8000
CMD ["footnote", "serve", "--host", "0.0.0.0", "--port", "8000"]
