# evalpanel — common tasks. `make test` is what CI runs (see .ci/run).

GO ?= go

.PHONY: run test test-postgres crawl vet fuzz build fmt proof

## run: start the server on 127.0.0.1:8080 with an embedded SQLite database and demo data
run:
	$(GO) run ./cmd/evalpanel serve --demo

## test: vet, run every test with the race detector (browser tests included), the store's suite again on
## PostgreSQL, then fuzz briefly
test: vet
	$(GO) test -race -count=1 -timeout 20m ./...
	$(MAKE) crawl
	$(MAKE) test-postgres
	$(MAKE) proof
	$(MAKE) fuzz

## crawl: every page for every role of the demo, in both languages (web's TestEveryPageForEveryRole): a
## sequential crawl, skipped under the race detector, where it takes five times as long
crawl:
	$(GO) test -count=1 -run '^TestEveryPageForEveryRole$$' ./web/

## test-postgres: the store's and the services' tests on a throwaway PostgreSQL server (.ci/with-postgres;
## EVALPANEL_TEST_POSTGRES=postgres://… to use one of yours; skipped, and said so, without PostgreSQL)
## (the store with the race detector, the services without it: they run it on SQLite)
test-postgres:
	.ci/with-postgres sh -c '$(GO) test -race -count=1 -timeout 20m ./evaluation/sqlstore/ && \
		$(GO) test -count=1 -timeout 20m $$($(GO) list ./evaluation/... | grep -v /sqlstore$$)' 

## proof: print the figures the security tests prove (issue 11): the authorisation matrix's cells and leaks, the bad-input catalogue's cases
proof:
	@$(GO) test -count=1 -run '^(TestAuthorizationMatrix|TestBadInputCatalogue|TestBadInputForgedForms)$$' -v ./web/ | grep -E '^(authorization matrix|bad-input catalogue)' 

## fuzz: run each fuzz target for a short, bounded time (FUZZTIME each, default 15s; 10 targets, about 3 minutes)
FUZZTIME ?= 15s
fuzz:
	$(call fuzz1,FuzzParseSheet,./rubrics/)
	$(call fuzz1,FuzzParseRubric,./rubrics/,-fuzzminimizetime 2s)
	$(call fuzz1,FuzzDecodeSheetContent,./evaluation/sqlstore/)
	$(call fuzz1,FuzzDecodeProjectDetails,./evaluation/sqlstore/)
	$(call fuzz1,FuzzReadExperts,./evaluation/imports/)
	$(call fuzz1,FuzzReadProjects,./evaluation/imports/)
	$(call fuzz1,FuzzNormalize,./evaluation/assign/)
	$(call fuzz1,FuzzCheckContent,./evaluation/)
	$(call fuzz1,FuzzDecodeRequest,./web/)
	$(call fuzz1,FuzzSaveSheet,./web/,-fuzzminimizetime 100x)

# fuzz1 runs the fuzz target $(1) of the package $(2) for FUZZTIME, with
# more go test flags in $(3) (FuzzSaveSheet drives the whole app: it
# finds new coverage often, and minimizing each find for the default 60s
# would leave no time to fuzz). Go 1.26's fuzzing coordinator can end a
# run that found nothing with a bare "context deadline exceeded"
# (golang/go#75804, fixed in Go 1.27): that alone passes, with a note; a
# run that wrote a failing input, or failed any other way, fails.
define fuzz1
	@echo "fuzz $(1) $(2)"; log=$$(mktemp); \
	$(GO) test -run '^$$' -fuzz '^$(1)$$' -fuzztime $(FUZZTIME) $(3) $(2) >$$log 2>&1; rc=$$?; cat $$log; \
	if [ $$rc -ne 0 ] && grep -qx '    context deadline exceeded' $$log && ! grep -q 'Failing input written' $$log; then \
		echo "fuzz: $(1) found nothing; its run ended on Go's deadline race (golang/go#75804)"; rc=0; \
	fi; rm -f $$log; exit $$rc
endef

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || (echo "gofmt would change:"; gofmt -l .; exit 1)

## build: build the evalpanel binary
build:
	$(GO) build -o evalpanel ./cmd/evalpanel

fmt:
	gofmt -w .
