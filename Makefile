# emuflock: `make demo` runs the main job, `make check` runs the tests; each installs what it
# needs first (Debian packages as root, npm packages), and is quick when all is there.
NPM_STAMP := node_modules/.emuflock-installed
CLI := node dist/harness/cli.js

.PHONY: setup host-packages build check demo talk bench verdict-study clean

setup: host-packages $(NPM_STAMP)

host-packages:
	@./scripts/host-packages.sh

# npm ci also compiles the TypeScript (the package's prepare script), and canvas, the charts'
# renderer, from source wherever its prebuilt binary cannot be downloaded: about 50 s of C++ on
# 2 CPUs. Through ccache, in the cache QEMU's builds use, the next clone compiles it in seconds
# (CCACHE_BASEDIR: the same hits wherever the clone is).
# The cache root, as harness/core/paths.ts cacheRoot() finds it.
EMUFLOCK_CACHE := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/emuflock
$(NPM_STAMP): package.json package-lock.json
	CC="ccache cc" CXX="ccache c++" CCACHE_DIR="$(EMUFLOCK_CACHE)/ccache" CCACHE_BASEDIR="$(CURDIR)" npm ci
	@touch $@

build: setup
	npm run --silent build

check: setup
	npm test

# The talk's drain fix, reproduced: builds two QEMU variants from Debian's source (about
# 9 minutes the first time), then boots guests of 500 and 1000 disks until both comparisons with the
# unfixed variant are decided (24 boots, 12 minutes on 2 CPUs).
demo: build
	$(CLI) assets
	$(CLI) run cases/seed-drain.yaml

# The talk's test list, as far as this host can go: every case of cases/talk/claims.yaml in one
# run, then results/<run-id>/talk.md, "The talk, reproduced".
talk: build
	$(CLI) assets
	$(CLI) talk

bench: build
	node dist/bench/overhead.js

# The verdicts' resampling study on the journals of bench/data/ (README, "How a verdict is
# decided"): false alarms and power of the rule and of each test, at 3 + 3, 5 + 5 and 10 + 10.
verdict-study: build
	node dist/bench/verdict-study.js

clean:
	rm -rf dist node_modules .tap
