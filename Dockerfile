# The corpus-qa CLI in a container image:
#   docker build -t corpus-qa .
#   docker run --rm -v "$PWD:/data" corpus-qa check dumps/latest/ --out reports
# The dump and the reports live in the mounted folder (/data, the working directory);
# a corpus-qa.toml or pyproject.toml there is found as on any machine.

FROM python:3.11-slim-bookworm AS build
# gcc builds the optional C extension that keys text in one pass. Debian's versions
# move with the point releases of bookworm, so they are not pinned.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml constraints.txt README.md LICENSE ./
COPY corpus_qa ./corpus_qa
COPY checks ./checks
COPY schemas ./schemas
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim-bookworm
COPY --from=build /wheels /wheels
COPY --from=build /src/constraints.txt /tmp/constraints.txt
# The same pinned versions as the development environment and CI.
RUN pip install --no-cache-dir -c /tmp/constraints.txt /wheels/*.whl \
    && rm -rf /wheels /tmp/constraints.txt \
    && useradd --create-home --uid 1000 qa
USER 1000:1000
WORKDIR /data
ENTRYPOINT ["corpus-qa"]
CMD ["--help"]
