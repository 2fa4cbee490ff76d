# The two commands of README: `make run` and `make test`.
.PHONY: build run test bench clean

CONFIG ?= config.example.yaml

build:
	./build.sh

run: build
	./dist/tinyswap --config $(CONFIG)

# Every test, including the AOT publish the end-to-end tests run against.
test: build
	dotnet test tinyswap.sln -c Release --nologo

bench: build
	./bench/run.sh

clean:
	rm -rf dist src/*/bin src/*/obj tests/*/bin tests/*/obj
