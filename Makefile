# The two commands of README: `make run` and `make test`.
.PHONY: build run test bench clean

CONFIG ?= config.example.yaml

build:
	./build.sh

run: build
	./dist/tinyswap --config $(CONFIG)

# Every test, including the AOT publish the end-to-end tests run against. A hung test host is
# killed after 5 minutes and reported, instead of eating the CI budget.
test: build
	dotnet test tinyswap.sln -c Release --nologo --blame-hang-timeout 5m --blame-hang-dump-type none

# Benchmarks (issue 6): one markdown table, also written to bench/results.md.
bench: build
	./bench/run.sh

clean:
	rm -rf dist obj src/*/bin src/*/obj tests/*/bin tests/*/obj bench/*/bin bench/*/obj
