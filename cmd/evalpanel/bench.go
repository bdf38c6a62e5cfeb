package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/evalpanel/evalpanel/evaluation/password"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
	"github.com/gofiber/fiber/v2"
)

// The bench's aims (issues 8 and 11): at these client counts a draft save
// and a submit reach at least benchAimThroughput × the baseline's
// throughput, with a p99 of at most benchAimP99 × the baseline's, and no
// request fails; at benchAimClients8 clients, at least benchAimSubmits
// submits a second (ten times the ≈140 review submissions a second a
// well-known conference review system makes at 8 clients on the same kind
// of machine: benchPeerSubmits).
const (
	benchAimThroughput = 0.6
	benchAimP99        = 3.0
	benchAimClients8   = 8
	benchAimSubmits    = 1400
	benchPeerSubmits   = 140
)

var benchAimClients = []int{64}

// The bodies of the measured requests: a draft with two of the applied
// technology rubric's five scores, then the complete sheet (83 points).
const (
	benchDraftBody  = `{"version":0,"scores":{"A1":22,"A2":20},"comments":{"A1":"主要指标全部完成，部分超额。"},"opinion":""}`
	benchSubmitBody = `{"version":1,"scores":{"A1":22,"A2":20,"A3":21,"A4":8,"A5":12},"comments":{"A1":"主要指标全部完成，部分超额。"},` +
		`"opinion":"项目完成了任务书规定的主要考核指标，技术路线合理。"}`
)

// The bench's scenarios (issue 11): (a) saving a draft sheet, (b)
// submitting it, (c) the expert's home page, (d) the commission's results
// page of the seeded campaign, each at every number of clients; (e) the
// campaign-wide match, timed once.
const (
	scenarioDraft   = "draft"
	scenarioSubmit  = "submit"
	scenarioHome    = "home"
	scenarioResults = "results"
)

// benchSessions is the most expert sessions scenario (c) signs in; the
// clients share them in turn.
const benchSessions = 16

// benchConfig is what the bench command's flags set.
type benchConfig struct {
	Clients       []int
	Requests      int
	PageRequests  int
	Rounds        int
	MatchProjects int
	MatchExperts  int
	DBDir         string
	CPUProfile    string
	Keep          bool
	// Postgres, when set, is a PostgreSQL server's URL: evalpanel and
	// the baseline each get a fresh database on it instead of SQLite
	// files. Instances is how many evalpanel servers share the database,
	// the clients dealt out among them.
	Postgres  string
	Instances int
}

// cmdBench measures the scenarios over HTTP against the real server and
// against a bare baseline in the same run, and prints the figures, their
// ratios and whether the aims hold. It exits 1 when any request failed.
func cmdBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench", stderr)
	cfg := benchConfig{Clients: []int{1, 16, 64, 256}}
	fs.Func("clients", "comma-separated numbers of concurrent clients (default 1,16,64,256; draft and submit also run at 8)", func(s string) error {
		var list []int
		for _, f := range strings.Split(s, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 || n > 1024 {
				return fmt.Errorf("%q is not a number of clients (1 to 1024)", f)
			}
			list = append(list, n)
		}
		cfg.Clients = list
		return nil
	})
	quick := fs.Bool("quick", false, "a short run for CI: clients 1,4, 40 requests, 2 rounds, a match of 100 projects × 400 experts (explicit flags win)")
	fs.IntVar(&cfg.Requests, "requests", 2000, "draft saves (and submits) per number of clients, shared among the clients")
	fs.IntVar(&cfg.PageRequests, "page-requests", 0, "page views per page and number of clients (default: --requests / 4)")
	fs.IntVar(&cfg.Rounds, "rounds", 4, "rounds in which the baseline and evalpanel take turns, for each row")
	fs.IntVar(&cfg.MatchProjects, "match-projects", 5000, "projects of the campaign the match scenario matches (0: skip it)")
	fs.IntVar(&cfg.MatchExperts, "match-experts", 20000, "experts in the pool of the match scenario")
	fs.StringVar(&cfg.DBDir, "db-dir", os.TempDir(), "folder in which to make the temporary folder of the SQLite files")
	fs.StringVar(&cfg.CPUProfile, "cpuprofile", "", "write a CPU profile of the measured part of the run to this file")
	fs.BoolVar(&cfg.Keep, "keep", false, "keep the temporary folder (databases and the server's log) and print where it is")
	fs.StringVar(&cfg.Postgres, "postgres", "", "a PostgreSQL server's URL (postgres://user@host:port/db): evalpanel and the baseline each run on a fresh database there, dropped afterwards (the match is skipped)")
	fs.IntVar(&cfg.Instances, "instances", 1, "evalpanel servers sharing the database, the clients dealt out among them (with --postgres)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if cfg.Instances < 1 || cfg.Instances > 8 || cfg.Instances > 1 && cfg.Postgres == "" {
		fmt.Fprintln(stderr, "bench: --instances is 1 to 8, and more than 1 needs --postgres (SQLite serves one instance)")
		return exitError(2)
	}
	if cfg.Postgres != "" && !sqlstore.IsPostgres(cfg.Postgres) {
		fmt.Fprintln(stderr, "bench: --postgres takes a postgres:// URL")
		return exitError(2)
	}
	if *quick {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		for name, v := range map[string]string{"clients": "1,4", "requests": "40", "rounds": "2", "match-projects": "100",
			"match-experts": "400"} {
			if !set[name] {
				fs.Set(name, v)
			}
		}
	}
	if cfg.PageRequests == 0 {
		cfg.PageRequests = max(cfg.Requests/4, 1)
	}
	if cfg.Rounds < 1 {
		fmt.Fprintln(stderr, "bench: --rounds must be at least 1")
		return exitError(2)
	}
	if m := max(slices.Max(cfg.Clients), benchAimClients8) * cfg.Rounds; cfg.Requests < m {
		fmt.Fprintf(stderr, "bench: --requests %d is fewer than one per client and round (%d)\n", cfg.Requests, m)
		return exitError(2)
	}
	if cfg.MatchProjects < 0 || cfg.MatchExperts < 1 {
		fmt.Fprintln(stderr, "bench: --match-projects must be at least 0 and --match-experts at least 1")
		return exitError(2)
	}
	rows, err := runBench(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	failed := 0
	for _, r := range rows {
		failed += r.ours.errors + r.base.errors
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "bench: %d requests failed\n", failed)
		return exitError(1)
	}
	return nil
}

// newFlagSet is a flag set without the --db flag the other commands share.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// benchRow is one scenario at one number of clients, ours and the
// baseline's.
type benchRow struct {
	op         string
	clients    int
	ours, base benchResult
}

// writeLevels are the numbers of clients of the draft and submit rows:
// the configured ones and benchAimClients8, for the peer's figure.
func writeLevels(clients []int) []int {
	out := slices.Clone(clients)
	if !slices.Contains(out, benchAimClients8) {
		out = append(out, benchAimClients8)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// runBench sets up, measures every row and the match, and prints the table.
func runBench(ctx context.Context, cfg benchConfig, stdout io.Writer) ([]benchRow, error) {
	dir, err := os.MkdirTemp(cfg.DBDir, "evalpanel-bench-")
	if err != nil {
		return nil, err
	}
	if cfg.Keep {
		defer fmt.Fprintf(stdout, "kept %s\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	dbPath, baseDB := filepath.Join(dir, "evalpanel.db"), filepath.Join(dir, "baseline.db")
	if cfg.Postgres != "" {
		var drop func()
		if dbPath, baseDB, drop, err = benchPostgres(ctx, cfg.Postgres); err != nil {
			return nil, err
		}
		if !cfg.Keep {
			defer drop()
		}
		fmt.Fprintf(stdout, "evalpanel bench: PostgreSQL databases %s and %s (%d evalpanel instance(s)), %d saves and %d page views per row in %d rounds, GOMAXPROCS %d\n",
			sqlstore.Redact(dbPath), sqlstore.Redact(baseDB), cfg.Instances, cfg.Requests, cfg.PageRequests, cfg.Rounds, runtime.GOMAXPROCS(0))
	} else {
		fmt.Fprintf(stdout, "evalpanel bench: SQLite files in %s (WAL, synchronous=FULL), %d saves and %d page views per row in %d rounds, GOMAXPROCS %d\n",
			dir, cfg.Requests, cfg.PageRequests, cfg.Rounds, runtime.GOMAXPROCS(0))
	}

	start := time.Now()
	levels := writeLevels(cfg.Clients)
	sheets, stats, err := setupBench(ctx, dbPath, cfg.Requests*len(levels))
	if err != nil {
		return nil, fmt.Errorf("bench setup: %w", err)
	}
	fmt.Fprintf(stdout, "setup (not measured): %d experts, %d projects, %d panels, %d sheets pledged and declared, in %s\n",
		stats.Experts, stats.Projects, stats.Panels, stats.Sheets, time.Since(start).Round(time.Millisecond))

	logFile, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	logger := slog.New(slog.NewTextHandler(logFile, nil))
	var urls []string // the instances' addresses: client i sends to urls[i%len(urls)]
	for range max(cfg.Instances, 1) {
		srv, err := startServer(ctx, serverConfig{Addr: "127.0.0.1:0", DB: dbPath, DataDir: filepath.Join(dir, "data"),
			Password: password.Default, Logger: logger, Stdout: io.Discard})
		if err != nil {
			return nil, err
		}
		defer srv.shutdown(10 * time.Second)
		urls = append(urls, srv.URL())
	}
	base, err := startBaseline(baseDB)
	if err != nil {
		return nil, err
	}
	defer base.shutdown()

	// Sign in (not measured): the commission, and up to benchSessions of
	// the experts whose sheets the bench saves.
	commission, err := benchLogin(ctx, urls[0], benchCommission, benchPassword)
	if err != nil {
		return nil, err
	}
	var expertSessions []string
	seen := map[string]bool{}
	for _, sh := range sheets {
		if len(expertSessions) == benchSessions {
			break
		}
		if !seen[sh.expert] {
			seen[sh.expert] = true
			s, err := benchLogin(ctx, urls[0], sh.expert, benchPassword)
			if err != nil {
				return nil, err
			}
			expertSessions = append(expertSessions, s)
		}
	}

	if cfg.CPUProfile != "" {
		f, err := os.Create(cfg.CPUProfile)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
		defer pprof.StopCPUProfile()
	}

	// Each client opens its connection before it is measured. On
	// evalpanel it also uses each of its tokens once: a token's last use
	// is written at most once a minute (a write transaction of its own),
	// and the bench's experts, each with a handful of sheets, would
	// otherwise pay it far more often than an expert at work does.
	warmBaseline := func([]benchRequest) []benchRequest {
		return []benchRequest{{method: http.MethodGet, url: base.url + "/healthz"}}
	}
	warmTokens := func(list []benchRequest) []benchRequest {
		// The client's instance: the one its requests go to.
		origin := urls[0]
		if len(list) > 0 {
			for _, u := range urls {
				if strings.HasPrefix(list[0].url, u+"/") {
					origin = u
				}
			}
		}
		out := []benchRequest{{method: http.MethodGet, url: origin + "/healthz"}}
		seen := map[string]bool{}
		for _, r := range list {
			if r.token != "" && !seen[r.token] {
				seen[r.token] = true
				out = append(out, benchRequest{method: http.MethodGet, url: origin + "/api/v1/me", token: r.token})
			}
		}
		return out
	}
	// measure runs a row: baseline and ours take turns, a round each, so
	// that both meet the same conditions on a machine whose load changes.
	measure := func(op string, clients int, basePlan, ourPlan [][]benchRequest) (benchRow, error) {
		row := benchRow{op: op, clients: clients}
		for r := range cfg.Rounds {
			res, err := runLoad(ctx, warmBaseline, roundOf(basePlan, r, cfg.Rounds))
			if err != nil {
				return row, err
			}
			row.base.add(res)
			if res, err = runLoad(ctx, warmTokens, roundOf(ourPlan, r, cfg.Rounds)); err != nil {
				return row, err
			}
			row.ours.add(res)
		}
		slices.Sort(row.base.latencies)
		slices.Sort(row.ours.latencies)
		return row, nil
	}

	var rows []benchRow
	// (a) and (b): each number of clients saves and then submits sheets
	// of its own.
	for level, clients := range levels {
		own := splitSheets(sheets[level*cfg.Requests:(level+1)*cfg.Requests], clients)
		for _, op := range []struct {
			name, method, path, body string
		}{
			{scenarioDraft, http.MethodPut, "/api/v1/projects/%d/sheet", benchDraftBody},
			{scenarioSubmit, http.MethodPost, "/api/v1/projects/%d/sheet/submit", benchSubmitBody},
		} {
			plan := func(url func(client int, sh benchSheet) string, auth bool) [][]benchRequest {
				out := make([][]benchRequest, clients)
				for i, list := range own {
					for _, sh := range list {
						r := benchRequest{method: op.method, url: url(i, sh), body: []byte(op.body)}
						if auth {
							r.token = sh.token
						}
						out[i] = append(out[i], r)
					}
				}
				return out
			}
			basePlan := plan(func(_ int, sh benchSheet) string { return fmt.Sprintf("%s/sheets/%d", base.url, sh.projectID) }, false)
			ourPlan := plan(func(i int, sh benchSheet) string { return urls[i%len(urls)] + fmt.Sprintf(op.path, sh.projectID) }, true)
			row, err := measure(op.name, clients, basePlan, ourPlan)
			if err != nil {
				return nil, err
			}
			rows = append(rows, row)
		}
	}
	// (c) and (d): the pages, once every sheet of the bench is submitted,
	// against the baseline reading its stored rows by id.
	baseRows := 2 * cfg.Requests * len(levels)
	for _, clients := range cfg.Clients {
		for _, page := range []struct {
			name, path string
			sessions   []string
		}{
			{scenarioHome, "/", expertSessions},
			{scenarioResults, fmt.Sprintf("/campaigns/%d/results", stats.CampaignID), []string{commission}},
		} {
			n := max(cfg.PageRequests, clients*cfg.Rounds)
			row, err := measure(page.name, clients, baseReadPlan(base.url, baseRows, clients, n),
				pagePlan(urls, page.path, page.sessions, clients, n))
			if err != nil {
				return nil, err
			}
			rows = append(rows, row)
		}
	}
	printBench(stdout, rows)

	// (e): the match, on a database and a server of its own.
	if cfg.MatchProjects > 0 && cfg.Postgres == "" {
		m, err := runMatch(ctx, dir, cfg.MatchProjects, cfg.MatchExperts, logger)
		if err != nil {
			return nil, err
		}
		printMatch(stdout, m)
	}
	pprof.StopCPUProfile()
	return rows, nil
}

// splitSheets deals the sheets out to the clients in consecutive runs,
// as evenly as they go.
func splitSheets(sheets []benchSheet, clients int) [][]benchSheet {
	out := make([][]benchSheet, clients)
	at := 0
	for i := range out {
		n := len(sheets) / clients
		if i < len(sheets)%clients {
			n++
		}
		out[i] = sheets[at : at+n]
		at += n
	}
	return out
}

// roundOf is round r of n of each client's requests: the r-th of n
// consecutive parts.
func roundOf(plan [][]benchRequest, r, n int) [][]benchRequest {
	out := make([][]benchRequest, len(plan))
	for i, list := range plan {
		out[i] = list[r*len(list)/n : (r+1)*len(list)/n]
	}
	return out
}

// benchRequest is one measured request.
type benchRequest struct {
	method, url, token string
	cookie             string // a signed-in session's Cookie header
	body               []byte
	into               any // when set, the answer's JSON is decoded into it
}

// benchResult is what a load run measured.
type benchResult struct {
	requests, errors int
	elapsed          time.Duration
	latencies        []time.Duration // sorted
	firstError       string
}

// add adds the requests of another run; the latencies are left unsorted.
func (r *benchResult) add(o benchResult) {
	r.requests += o.requests
	r.errors += o.errors
	r.elapsed += o.elapsed
	r.latencies = append(r.latencies, o.latencies...)
	if r.firstError == "" {
		r.firstError = o.firstError
	}
}

func (r benchResult) throughput() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.requests) / r.elapsed.Seconds()
}

// percentile is the latency that p (0 to 1) of the requests did not
// exceed (nearest rank).
func (r benchResult) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	i := int(float64(len(r.latencies))*p+0.999999) - 1
	return r.latencies[min(max(i, 0), len(r.latencies)-1)]
}

// runLoad runs each client's requests in order on its own keep-alive
// connection, all clients at once, and measures each request from sending
// it to reading the whole answer. Each client first sends the requests
// warm gives for its list, which are not measured. A request fails when it
// gets no answer or one outside 2xx.
func runLoad(ctx context.Context, warm func(client []benchRequest) []benchRequest, plan [][]benchRequest) (benchResult, error) {
	clients := make([]*http.Client, len(plan))
	for i := range clients {
		clients[i] = &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxConnsPerHost: 1, MaxIdleConnsPerHost: 1,
			DisableCompression: true, DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}}
		defer clients[i].CloseIdleConnections()
		for _, r := range warm(plan[i]) {
			if _, err := benchDo(ctx, clients[i], r); err != nil {
				return benchResult{}, fmt.Errorf("warm up: %w", err)
			}
		}
	}
	type clientResult struct {
		latencies []time.Duration
		errors    int
		first     string
	}
	results := make([]clientResult, len(plan))
	var wg sync.WaitGroup
	ready := make(chan struct{})
	for i, list := range plan {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := &results[i]
			res.latencies = make([]time.Duration, 0, len(list))
			<-ready
			for _, r := range list {
				t0 := time.Now()
				_, err := benchDo(ctx, clients[i], r)
				res.latencies = append(res.latencies, time.Since(t0))
				if err != nil {
					if res.errors == 0 {
						res.first = fmt.Sprintf("%s %s: %v", r.method, r.url, err)
					}
					res.errors++
				}
			}
		}()
	}
	start := time.Now()
	close(ready)
	wg.Wait()
	out := benchResult{elapsed: time.Since(start)}
	for _, r := range results {
		out.latencies = append(out.latencies, r.latencies...)
		out.errors += r.errors
		if out.firstError == "" {
			out.firstError = r.first
		}
	}
	out.requests = len(out.latencies)
	slices.Sort(out.latencies)
	return out, ctx.Err()
}

// benchDo sends one request and reads the whole answer; an answer outside
// 2xx is an error that quotes the start of its body.
func benchDo(ctx context.Context, c *http.Client, r benchRequest) (int, error) {
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, bytes.NewReader(r.body))
	if err != nil {
		return 0, err
	}
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	if r.cookie != "" {
		req.Header.Set("Cookie", r.cookie)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("status %d: %.200s", resp.StatusCode, body)
	}
	if r.into != nil {
		if err := json.Unmarshal(body, r.into); err != nil {
			return resp.StatusCode, fmt.Errorf("answer: %w", err)
		}
	}
	return resp.StatusCode, nil
}

// baseline is the bare server the bench compares with: one fiber handler
// that inserts the sheet's row into a SQLite file opened with the same
// settings as evalpanel's (sqlstore.DSN: WAL, synchronous=FULL), or into a
// PostgreSQL database of the same server, with no authentication, no
// checks, no audit entry and no logging.
type baseline struct {
	url string
	db  *sql.DB
	app *fiber.App
}

func startBaseline(target string) (*baseline, error) {
	// The same settings as evalpanel's: sqlstore.DSN for a SQLite file,
	// pgx with its defaults for PostgreSQL (synchronous_commit on).
	pg := sqlstore.IsPostgres(target)
	driver, dsn, ddl := "sqlite3", sqlstore.DSN(target), `CREATE TABLE sheets (id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL,
		expert_id INTEGER NOT NULL, status TEXT NOT NULL, version INTEGER NOT NULL, content TEXT NOT NULL, updated_at TEXT NOT NULL)`
	insert := `INSERT INTO sheets (project_id, expert_id, status, version, content, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`
	read := `SELECT id, project_id, status, version, content, updated_at FROM sheets WHERE id = ?`
	if pg {
		driver, dsn = "pgx", target
		ddl = `CREATE TABLE sheets (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, project_id BIGINT NOT NULL,
			expert_id BIGINT NOT NULL, status TEXT NOT NULL, version BIGINT NOT NULL, content TEXT NOT NULL, updated_at TEXT NOT NULL)`
		insert = `INSERT INTO sheets (project_id, expert_id, status, version, content, updated_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`
		read = `SELECT id, project_id, status, version, content, updated_at FROM sheets WHERE id = $1`
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxIdleConns(16)
	if pg {
		// As many connections as an evalpanel instance's pool: a
		// connection per client would exhaust the server's.
		db.SetMaxOpenConns(sqlstore.PostgresOpenConns)
	}
	if _, err := db.Exec(ddl); err != nil {
		db.Close()
		return nil, fmt.Errorf("baseline table: %w", err)
	}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/healthz", func(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusNoContent) })
	store := func(c *fiber.Ctx) error {
		project, err := c.ParamsInt("project")
		if err != nil {
			return err
		}
		var id int64
		if err := db.QueryRowContext(c.UserContext(), insert, project, 1, "draft", 1, string(c.Body()),
			time.Now().UTC().Format(time.RFC3339Nano)).Scan(&id); err != nil {
			return err
		}
		return c.JSON(fiber.Map{"id": id})
	}
	app.Put("/sheets/:project", store)
	app.Post("/sheets/:project", store)
	// The pages' counterpart: one stored row, read by id.
	app.Get("/sheets/:id", func(c *fiber.Ctx) error {
		id, err := c.ParamsInt("id")
		if err != nil {
			return err
		}
		var row struct {
			ID        int64  `json:"id"`
			ProjectID int64  `json:"project_id"`
			Status    string `json:"status"`
			Version   int    `json:"version"`
			Content   string `json:"content"`
			UpdatedAt string `json:"updated_at"`
		}
		if err := db.QueryRowContext(c.UserContext(), read, id).Scan(&row.ID, &row.ProjectID, &row.Status, &row.Version, &row.Content, &row.UpdatedAt); err != nil {
			return err
		}
		return c.JSON(row)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		db.Close()
		return nil, err
	}
	go app.Listener(ln)
	return &baseline{url: "http://" + ln.Addr().String(), db: db, app: app}, nil
}

func (b *baseline) shutdown() error {
	return errors.Join(b.app.Shutdown(), b.db.Close())
}

// printBench prints the table: each scenario at each number of clients,
// ours and the baseline's, the ratios, and whether the aims hold; then the
// submissions a second at benchAimClients8 clients beside the peer's.
func printBench(w io.Writer, rows []benchRow) {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tclients\trequests\treq/s\tp50\tp99\terrors\tbaseline req/s\tbaseline p99\tratio\tp99 ratio\taim\t")
	var notes []string
	for _, r := range rows {
		tput := r.ours.throughput() / r.base.throughput()
		p99 := float64(r.ours.percentile(0.99)) / float64(r.base.percentile(0.99))
		aim := "-"
		if (r.op == scenarioDraft || r.op == scenarioSubmit) && slices.Contains(benchAimClients, r.clients) {
			var missed []string
			if tput < benchAimThroughput {
				missed = append(missed, fmt.Sprintf("ratio<%.1f", benchAimThroughput))
			}
			if p99 > benchAimP99 {
				missed = append(missed, fmt.Sprintf("p99>%.0f×", benchAimP99))
			}
			if r.ours.errors > 0 {
				missed = append(missed, "errors")
			}
			aim = "holds"
			if len(missed) > 0 {
				aim = "MISSED: " + strings.Join(missed, ", ")
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f\t%s\t%s\t%d\t%.0f\t%s\t%.2f\t%.2f\t%s\t\n", r.op, r.clients, r.ours.requests,
			r.ours.throughput(), ms(r.ours.percentile(0.5)), ms(r.ours.percentile(0.99)), r.ours.errors, r.base.throughput(),
			ms(r.base.percentile(0.99)), tput, p99, aim)
		if r.op == scenarioSubmit && r.clients == benchAimClients8 {
			verdict := "holds"
			if r.ours.throughput() < benchAimSubmits || r.ours.errors > 0 {
				verdict = "MISSED"
			}
			notes = append(notes, fmt.Sprintf("submissions/s at %d clients: %.0f/s (peer: ≈%d/s; aim ≥ %d/s: %s)", r.clients,
				r.ours.throughput(), benchPeerSubmits, benchAimSubmits, verdict))
		}
		for _, e := range []string{r.ours.firstError, r.base.firstError} {
			if e != "" {
				notes = append(notes, fmt.Sprintf("first failure (%s, %d clients): %s", r.op, r.clients, e))
			}
		}
	}
	tw.Flush()
	for _, n := range notes {
		fmt.Fprintln(w, n)
	}
}
