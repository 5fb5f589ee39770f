# Wharf — the two commands a newcomer needs are `make up` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
NODE_MODULES_STAMP := node_modules/.install-stamp
DEBIAN_PACKAGES := runc conmon iproute2 nftables etcd-server etcd-client busybox-static skopeo docker-registry openssl util-linux
DATA_DIR ?= /var/lib/wharf

.PHONY: help deps system-deps build test test-unit test-e2e bench up down clean

help:
	@echo "make up     install what is missing, build, start the all-in-one cluster, deploy the example app"
	@echo "make test   install what is missing, build, run every test"
	@echo "make bench  run the benchmarks and print their figures next to the anchors"

# Debian packages: install only those that are missing, so a second run is quick
# and needs no network.
system-deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(NODE_MODULES_STAMP): package.json package-lock.json */package.json
	npm ci --no-audit --no-fund
	@# npm 11 may skip install scripts; prove the native module loads.
	node -e "require('better-sqlite3')(':memory:').prepare('select 1').get()"
	@touch $@

deps: system-deps $(NODE_MODULES_STAMP)

build: deps
	npx tsc -b

test: build
	@mkdir -p .wharf
	@set -o pipefail; npx vitest run --reporter=default --reporter=json --outputFile.json=.wharf/vitest.json; rc=$$?; \
	  node scripts/test-summary.mjs .wharf/vitest.json; exit $$rc

test-unit: deps
	npx vitest run --project unit

test-e2e: build
	npx vitest run --project e2e

bench: build
	node bench/run.mjs $(BENCH)

up: build
	./scripts/up.sh

down:
	-pkill -TERM -f 'bin/wharf server' || true

clean:
	rm -rf */dist node_modules
