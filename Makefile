# emuflock: `make demo` runs the main job, `make check` runs the tests; each installs what it
# needs first (Debian packages as root, npm packages), and is quick when all is there.
NPM_STAMP := node_modules/.emuflock-installed
CLI := node dist/harness/cli.js

.PHONY: setup host-packages build check demo bench clean

setup: host-packages $(NPM_STAMP)

host-packages:
	@./scripts/host-packages.sh

# npm ci also compiles the TypeScript (the package's prepare script).
$(NPM_STAMP): package.json package-lock.json
	npm ci
	@touch $@

build: setup
	npx tsc -p tsconfig.json

check: setup
	npm test

demo: build
	$(CLI) assets
	$(CLI) run cases/smoke.yaml cases/disks-1000.yaml

bench: build
	node dist/bench/overhead.js

clean:
	rm -rf dist node_modules .tap
