# The two commands of README: `make run` and `make test`.
.PHONY: build build-arm64 run test bench deb clean

CONFIG ?= config.example.yaml

build:
	./build.sh

# The arm64 binaries (dist/linux-arm64/), cross-compiled; build.sh installs the cross toolchain as root.
build-arm64:
	RID=linux-arm64 ./build.sh

run: build
	./dist/tinyswap --config $(CONFIG)

# Every test, including the AOT publishes the end-to-end tests run against (the arm64 one for the qemu smoke
# test and the arm64 .deb). A hung test host is killed after 5 minutes and reported, instead of eating the CI budget;
# whatever a killed host had started is swept after the run (tests/sweep-orphans.sh).
test: build build-arm64
	dotnet test tinyswap.sln -c Release --nologo --blame-hang-timeout 5m --blame-hang-dump-type none; \
	  status=$$?; tests/sweep-orphans.sh; exit $$status

# Benchmarks (issue 6): one markdown table, also written to bench/results.md.
bench: build build-arm64
	./bench/run.sh

# dist/tinyswap_<version>_amd64.deb and _arm64.deb (packaging/build-deb.sh; README: Install on a Raspberry Pi / Jetson).
deb: build build-arm64
	packaging/build-deb.sh

clean:
	rm -rf dist obj src/*/bin src/*/obj tests/*/bin tests/*/obj bench/*/bin bench/*/obj
