# evalpanel — common tasks. `make test` is what CI runs (see .ci/run).

GO ?= go

.PHONY: run test vet build fmt

## run: start the server on 127.0.0.1:8080 with an embedded SQLite database and demo data
run:
	$(GO) run ./cmd/evalpanel serve --demo

## test: vet and run every test with the race detector, browser tests included
test: vet
	$(GO) test -race -count=1 ./...

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || (echo "gofmt would change:"; gofmt -l .; exit 1)

## build: build the evalpanel binary
build:
	$(GO) build -o evalpanel ./cmd/evalpanel

fmt:
	gofmt -w .
