# evalpanel — common tasks. `make test` is what CI runs (see .ci/run).

GO ?= go

.PHONY: run test test-postgres vet fuzz build fmt proof

## run: start the server on 127.0.0.1:8080 with an embedded SQLite database and demo data
run:
	$(GO) run ./cmd/evalpanel serve --demo

## test: vet, run every test with the race detector (browser tests included), the store's suite again on
## PostgreSQL, then fuzz briefly
test: vet
	$(GO) test -race -count=1 -timeout 20m ./...
	$(MAKE) test-postgres
	$(MAKE) proof
	$(MAKE) fuzz

## test-postgres: the store's and the services' tests on a throwaway PostgreSQL server (.ci/with-postgres;
## EVALPANEL_TEST_POSTGRES=postgres://… to use one of yours; skipped, and said so, without PostgreSQL)
test-postgres:
	.ci/with-postgres $(GO) test -race -count=1 -timeout 20m ./evaluation/...

## proof: print the figures the security tests prove (issue 11): the authorisation matrix's cells and leaks, the bad-input catalogue's cases
proof:
	@$(GO) test -count=1 -run '^(TestAuthorizationMatrix|TestBadInputCatalogue|TestBadInputForgedForms)$$' -v ./web/ | grep -E '^(authorization matrix|bad-input catalogue)' 

## fuzz: run each fuzz target for a short, bounded time (FUZZTIME, default 15s)
FUZZTIME ?= 15s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParseSheet$$' -fuzztime $(FUZZTIME) ./rubrics/
	$(GO) test -run '^$$' -fuzz '^FuzzParseRubric$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 2s ./rubrics/
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeSheetContent$$' -fuzztime $(FUZZTIME) ./evaluation/sqlstore/
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeProjectDetails$$' -fuzztime $(FUZZTIME) ./evaluation/sqlstore/
	$(GO) test -run '^$$' -fuzz '^FuzzReadExperts$$' -fuzztime $(FUZZTIME) ./evaluation/imports/
	$(GO) test -run '^$$' -fuzz '^FuzzReadProjects$$' -fuzztime $(FUZZTIME) ./evaluation/imports/

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || (echo "gofmt would change:"; gofmt -l .; exit 1)

## build: build the evalpanel binary
build:
	$(GO) build -o evalpanel ./cmd/evalpanel

fmt:
	gofmt -w .
