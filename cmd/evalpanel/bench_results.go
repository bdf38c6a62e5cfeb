package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strings"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/aggregate"
	"github.com/evalpanel/evalpanel/evaluation/password"
)

// The results bench's aims (issue 9): a campaign's results, calibration
// and ICC included, take at most resultsAimRatio × the time SQLite takes
// to read the same rows; a page of the results takes at most
// resultsAimPage.
const (
	resultsAimRatio = 2.0
	resultsAimPage  = time.Second
)

// resultsBenchConfig is what the bench-results command's flags set.
type resultsBenchConfig struct {
	Projects   int
	Technical  int
	Finance    int
	Rounds     int
	DBDir      string
	CPUProfile string
	Keep       bool
}

// cmdBenchResults measures computing a campaign's results from a seeded
// SQLite file against reading the same rows, the heap the computation
// needs, and the results pages over HTTP, and prints the figures and
// whether the aims hold. It exits 1 on any error, a failed request or
// results that do not add up; a missed aim is only printed.
func cmdBenchResults(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench-results", stderr)
	cfg := resultsBenchConfig{}
	fs.IntVar(&cfg.Projects, "projects", 5000, "projects in the campaign")
	fs.IntVar(&cfg.Technical, "technical", 7, "technical experts per panel (5, 7 or 9), each submitting a sheet per project")
	fs.IntVar(&cfg.Finance, "finance", 1, "finance experts per panel (1 to 3), each submitting a sheet per project")
	fs.IntVar(&cfg.Rounds, "rounds", 5, "rounds in which the SQLite read and the results take turns; also requests per page")
	fs.StringVar(&cfg.DBDir, "db-dir", os.TempDir(), "folder in which to make the temporary folder of the SQLite file")
	fs.StringVar(&cfg.CPUProfile, "cpuprofile", "", "write a CPU profile of the measured part of the run to this file")
	fs.BoolVar(&cfg.Keep, "keep", false, "keep the temporary folder (database and the server's log) and print where it is")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case cfg.Projects < 1 || cfg.Projects > 100_000:
		fmt.Fprintln(stderr, "bench-results: --projects must be 1 to 100000")
		return exitError(2)
	case cfg.Technical != 5 && cfg.Technical != 7 && cfg.Technical != 9:
		fmt.Fprintln(stderr, "bench-results: --technical must be 5, 7 or 9")
		return exitError(2)
	case cfg.Finance < 1 || cfg.Finance > 3:
		fmt.Fprintln(stderr, "bench-results: --finance must be 1 to 3")
		return exitError(2)
	case cfg.Rounds < 1:
		fmt.Fprintln(stderr, "bench-results: --rounds must be at least 1")
		return exitError(2)
	}
	return runBenchResults(ctx, cfg, stdout)
}

// timings are the times of the runs of one measured operation: from the
// start to the end (wall), and the CPU time the process used meanwhile,
// every thread (the garbage collector's, and the server's for a page)
// included, which another program's load on the machine hardly changes.
type timings struct {
	wall, cpu []time.Duration
}

func (t *timings) add(wall, cpu time.Duration) {
	t.wall, t.cpu = append(t.wall, wall), append(t.cpu, cpu)
}

func (t *timings) sort() {
	slices.Sort(t.wall)
	slices.Sort(t.cpu)
}

func (t *timings) runs() int { return len(t.wall) }

// median and the rest need the times sorted; with an even number of runs
// the median is the lower middle one.
func (t *timings) median() time.Duration    { return t.wall[(len(t.wall)-1)/2] }
func (t *timings) min() time.Duration       { return t.wall[0] }
func (t *timings) max() time.Duration       { return t.wall[len(t.wall)-1] }
func (t *timings) cpuMedian() time.Duration { return t.cpu[(len(t.cpu)-1)/2] }

// resultsRun is one measured operation: its times and, from a run of its
// own, its heap.
type resultsRun struct {
	name string
	timings
	heap heapUse
}

// pageRun is one results page requested in every round.
type pageRun struct {
	label, path string
	// listed: the page must list projects (a filter may find none).
	listed bool
	timings
	bytes int
}

// runBenchResults seeds the campaign, measures and prints.
func runBenchResults(ctx context.Context, cfg resultsBenchConfig, stdout io.Writer) error {
	dir, err := os.MkdirTemp(cfg.DBDir, "evalpanel-bench-results-")
	if err != nil {
		return err
	}
	if cfg.Keep {
		defer fmt.Fprintf(stdout, "kept %s\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	fmt.Fprintf(stdout, "evalpanel bench-results: SQLite file in %s, %d projects × (%d technical + %d finance) submitted sheets, "+
		"%d rounds, GOMAXPROCS %d\n", dir, cfg.Projects, cfg.Technical, cfg.Finance, cfg.Rounds, runtime.GOMAXPROCS(0))

	start := time.Now()
	dbPath := filepath.Join(dir, "evalpanel.db")
	setup, err := setupResults(ctx, dbPath, cfg.Projects, cfg.Technical, cfg.Finance)
	if err != nil {
		return fmt.Errorf("bench setup: %w", err)
	}
	size := int64(0)
	for _, f := range []string{dbPath, dbPath + "-wal"} {
		if st, err := os.Stat(f); err == nil {
			size += st.Size()
		}
	}
	fmt.Fprintf(stdout, "setup (not measured): %d experts, %d projects, %d panels, %d submitted sheets, in %s; database %.1f MB\n",
		setup.Experts, setup.Projects, setup.Panels, setup.Sheets, time.Since(start).Round(time.Millisecond), mb(uint64(size)))

	db, svc, err := openService(ctx, dbPath, password.Fast)
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := svc.Campaigns.Campaign(ctx, setup.Staff, setup.CampaignID)
	if err != nil {
		return err
	}
	read := func() (any, error) { return readCampaignRows(ctx, db.SQL(), c.ID, c.AgencyID) }
	compute := func() (any, error) { return svc.Results.CampaignResults(ctx, setup.Staff, c.ID) }

	// One run of each, not measured, fills SQLite's page cache and the
	// connections' statement caches, and checks both.
	got, err := read()
	if err != nil {
		return fmt.Errorf("SQLite read: %w", err)
	}
	if rows := got.(campaignRows); len(rows.projects) != setup.Projects || len(rows.sheets) != setup.Sheets {
		return fmt.Errorf("SQLite read %d projects and %d sheets, want %d and %d", len(rows.projects), len(rows.sheets),
			setup.Projects, setup.Sheets)
	}
	if got, err = compute(); err != nil {
		return fmt.Errorf("results: %w", err)
	}
	check, err := checkResults(got.(*evaluation.CampaignResults), setup, cfg)
	if err != nil {
		return err
	}

	logFile, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()
	srv, err := startServer(ctx, serverConfig{Addr: "127.0.0.1:0", DB: dbPath, DataDir: filepath.Join(dir, "data"),
		Password: password.Fast, Logger: slog.New(slog.NewTextHandler(logFile, nil)), Stdout: io.Discard})
	if err != nil {
		return err
	}
	defer srv.shutdown(10 * time.Second)
	client, err := webLogin(ctx, srv.URL(), resultsStaff, benchPassword)
	if err != nil {
		return err
	}
	defer client.CloseIdleConnections()
	pages := resultsPages(c.ID, cfg.Projects)
	// Each page once, not measured: the server's caches warm up too.
	for i := range pages {
		if pages[i].bytes, err = fetchPage(ctx, client, srv.URL()+pages[i].path, setup.Token, pages[i].listed); err != nil {
			return err
		}
	}

	if cfg.CPUProfile != "" {
		f, err := os.Create(cfg.CPUProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	base, ours := resultsRun{name: "SQLite read of the same rows"}, resultsRun{name: "results (CampaignResults)"}
	// The read and the results take turns, a round each, so that both
	// meet the same conditions on a machine whose load changes.
	for range cfg.Rounds {
		for _, m := range []struct {
			run *resultsRun
			fn  func() (any, error)
		}{{&base, read}, {&ours, compute}} {
			wall, cpu, err := timed(m.fn)
			if err != nil {
				return err
			}
			m.run.add(wall, cpu)
		}
	}
	if base.heap, err = measureHeap(read); err != nil {
		return err
	}
	if ours.heap, err = measureHeap(compute); err != nil {
		return err
	}
	for range cfg.Rounds {
		for i := range pages {
			t0, c0 := time.Now(), processCPU()
			if _, err := fetchPage(ctx, client, srv.URL()+pages[i].path, setup.Token, pages[i].listed); err != nil {
				return err
			}
			pages[i].add(time.Since(t0), processCPU()-c0)
		}
	}
	pprof.StopCPUProfile()
	base.sort()
	ours.sort()
	for i := range pages {
		pages[i].sort()
	}
	printBenchResults(stdout, base, ours, check, pages)
	return nil
}

// campaignRows are a campaign's projects and sheets as SQLite hands them
// over, the JSON columns left as text.
type campaignRows struct {
	projects []rawProject
	sheets   []rawSheet
}

type rawProject struct {
	id, campaignID, agencyID                                int64
	code, title, class, lead, details, createdAt, updatedAt string
}

type rawSheet struct {
	id, campaignID, agencyID, panelID, projectID, expertID, rubricVersion, version, round int64
	seat, rubricCode, status, content, reopenReason, createdAt, updatedAt                 string
	submittedAt                                                                           sql.NullString
}

// readCampaignRows is the baseline: the rows computing the results reads
// (the campaign's projects, and its sheets with their content), by the
// same queries' WHERE and ORDER BY, scanned with database/sql into Go
// values and kept, with no JSON decoding and no time parsing.
func readCampaignRows(ctx context.Context, db *sql.DB, campaignID, agencyID int64) (campaignRows, error) {
	var out campaignRows
	rows, err := db.QueryContext(ctx, `SELECT id, campaign_id, agency_id, code, title, class, lead_institution, details,
		created_at, updated_at FROM projects WHERE campaign_id = ? AND agency_id = ? ORDER BY code`, campaignID, agencyID)
	if err != nil {
		return out, err
	}
	for rows.Next() {
		var p rawProject
		if err := rows.Scan(&p.id, &p.campaignID, &p.agencyID, &p.code, &p.title, &p.class, &p.lead, &p.details,
			&p.createdAt, &p.updatedAt); err != nil {
			rows.Close()
			return out, err
		}
		out.projects = append(out.projects, p)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return out, err
	}
	rows, err = db.QueryContext(ctx, `SELECT id, campaign_id, agency_id, panel_id, project_id, expert_id, seat, rubric_code,
		rubric_version, status, version, round, content, reopen_reason, created_at, updated_at, submitted_at
		FROM sheets WHERE campaign_id = ? ORDER BY project_id, seat DESC, expert_id`, campaignID)
	if err != nil {
		return out, err
	}
	for rows.Next() {
		var s rawSheet
		if err := rows.Scan(&s.id, &s.campaignID, &s.agencyID, &s.panelID, &s.projectID, &s.expertID, &s.seat, &s.rubricCode,
			&s.rubricVersion, &s.status, &s.version, &s.round, &s.content, &s.reopenReason, &s.createdAt, &s.updatedAt,
			&s.submittedAt); err != nil {
			rows.Close()
			return out, err
		}
		out.sheets = append(out.sheets, s)
	}
	return out, errors.Join(rows.Err(), rows.Close())
}

// timed runs fn once after a forced collection, so that no run pays for
// the garbage of the one before, and returns its wall and CPU times.
func timed(fn func() (any, error)) (wall, cpu time.Duration, err error) {
	runtime.GC()
	t0, c0 := time.Now(), processCPU()
	_, err = fn()
	return time.Since(t0), processCPU() - c0, err
}

// heapUse is the heap one run needed, in bytes: Peak is the highest heap
// of objects above the live heap before it (garbage not yet collected
// included, as the process holds it), Allocated all it allocated, and
// Retained what its result keeps alive.
type heapUse struct {
	Peak, Allocated, Retained uint64
}

// measureHeap runs fn once after a forced collection while a goroutine
// samples the heap every 100µs.
func measureHeap(fn func() (any, error)) (heapUse, error) {
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/allocs:bytes"}}
	read := func() (heap, allocs uint64) {
		metrics.Read(samples)
		return samples[0].Value.Uint64(), samples[1].Value.Uint64()
	}
	runtime.GC()
	before, allocs0 := read()
	var peak atomic.Uint64
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(100 * time.Microsecond)
		defer tick.Stop()
		for {
			metrics.Read(samples)
			if h := samples[0].Value.Uint64(); h > peak.Load() {
				peak.Store(h)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	res, err := fn()
	close(done)
	<-stopped
	end, allocs1 := read()
	use := heapUse{Allocated: allocs1 - allocs0}
	if top := max(peak.Load(), end); top > before {
		use.Peak = top - before
	}
	runtime.GC()
	after, _ := read()
	if after > before {
		use.Retained = after - before
	}
	runtime.KeepAlive(res)
	return use, err
}

// resultsCheck is what the computed results came to, for the table and
// the test: counts that must match the seeded campaign.
type resultsCheck struct {
	Projects, Scored, Sheets int
	Proposals                map[aggregate.Conclusion]int
	Experts, Components      int
	Iterations               int
	Converged                bool
	ICC                      []aggregate.ClassReliability
}

// checkResults counts the results and refuses ones that do not match the
// seeded campaign: every project listed, every sheet counted, every
// project scored (each has a full panel), the leniency fit converged.
func checkResults(res *evaluation.CampaignResults, setup *resultsSetup, cfg resultsBenchConfig) (resultsCheck, error) {
	rep := res.Report
	ck := resultsCheck{Projects: len(res.Projects), Proposals: map[aggregate.Conclusion]int{}, ICC: rep.Advisory.Reliability,
		Experts: len(rep.Advisory.Leniency.Experts), Components: rep.Advisory.Leniency.Components,
		Iterations: rep.Advisory.Leniency.Iterations, Converged: rep.Advisory.Leniency.Converged}
	for _, r := range rep.Results {
		if r.Technical.Score != nil {
			ck.Scored++
		}
		ck.Sheets += r.Technical.Sheets + r.Finance.Sheets
		ck.Proposals[r.Proposal]++
	}
	var problems []string
	if ck.Projects != setup.Projects || len(rep.Results) != setup.Projects {
		problems = append(problems, fmt.Sprintf("%d projects and %d results, want %d", ck.Projects, len(rep.Results), setup.Projects))
	}
	if ck.Scored != setup.Projects {
		problems = append(problems, fmt.Sprintf("%d projects with a score, want %d", ck.Scored, setup.Projects))
	}
	if want := setup.Projects * (cfg.Technical + cfg.Finance); ck.Sheets != want || setup.Sheets != want {
		problems = append(problems, fmt.Sprintf("%d sheets counted and %d seeded, want %d", ck.Sheets, setup.Sheets, want))
	}
	if !ck.Converged {
		problems = append(problems, fmt.Sprintf("leniency fit: not converged after %d iterations", ck.Iterations))
	}
	if len(problems) > 0 {
		return ck, fmt.Errorf("results do not match the seeded campaign: %s", strings.Join(problems, "; "))
	}
	return ck, nil
}

// resultsPages are the pages measured: the results table's first, middle
// and last pages, sorted by score, filtered, the advisory tab, and the
// API's whole campaign (which is not paged).
func resultsPages(campaignID int64, projects int) []pageRun {
	last := max(1, (projects+49)/50)
	p := func(q string) string { return fmt.Sprintf("/campaigns/%d/results?%s", campaignID, q) }
	return []pageRun{
		{label: "page 1", path: p("page=1"), listed: true},
		{label: fmt.Sprintf("page %d", (last+1)/2), path: p(fmt.Sprintf("page=%d", (last+1)/2)), listed: true},
		{label: fmt.Sprintf("page %d (last)", last), path: p(fmt.Sprintf("page=%d", last)), listed: true},
		{label: fmt.Sprintf("by score, descending, page %d", min(2, last)), path: p(fmt.Sprintf("sort=-score&page=%d", min(2, last))),
			listed: true},
		{label: "basic research, good, by score", path: p("class=basic_research&grade=good&sort=-score")},
		{label: "advisory tab, page 1", path: p("tab=advisory"), listed: true},
		{label: "API: the whole campaign (JSON)", path: fmt.Sprintf("/api/v1/campaigns/%d/results", campaignID), listed: true},
	}
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]*)"`)

// webLogin signs in on the login page as a browser would and returns a
// client that keeps the session cookie.
func webLogin(ctx context.Context, base, username, pw string) (*http.Client, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	client := &http.Client{Jar: jar, Timeout: 5 * time.Minute,
		Transport: &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/login", nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	m := csrfInput.FindSubmatch(body)
	if m == nil {
		return nil, errors.New("login page: no CSRF field")
	}
	form := url.Values{"username": {username}, "password": {pw}, "_csrf": {string(m[1])}}
	req, err = http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, err = client.Do(req); err != nil {
		return nil, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path == "/login" {
		return nil, fmt.Errorf("sign in as %s: status %d at %s", username, resp.StatusCode, resp.Request.URL.Path)
	}
	return client, nil
}

// fetchPage requests a page, with the bearer token on the API, and reads
// it whole; anything but 200, or a page without a project of the bench
// when it must list some, is an error.
func fetchPage(ctx context.Context, client *http.Client, u, token string, listed bool) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	if strings.Contains(u, "/api/") {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK || listed && !strings.Contains(string(body), "RB-") {
		return 0, fmt.Errorf("GET %s: status %d, body %.300s", u, resp.StatusCode, body)
	}
	return len(body), nil
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond)) }

// printBenchResults prints the two tables, the checks and the aims.
func printBenchResults(w io.Writer, base, ours resultsRun, ck resultsCheck, pages []pageRun) {
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "reading the campaign\truns\tmedian\tmin\t× read\tCPU median\t× read\tpeak heap\tallocated\tretained\t")
	ratio := float64(ours.median()) / float64(base.median())
	for _, r := range []resultsRun{base, ours} {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%.2f\t%s\t%.2f\t%.1f MB\t%.1f MB\t%.1f MB\t\n", r.name, r.runs(), ms(r.median()),
			ms(r.min()), float64(r.median())/float64(base.median()), ms(r.cpuMedian()),
			float64(r.cpuMedian())/float64(max(base.cpuMedian(), 1)), mb(r.heap.Peak), mb(r.heap.Allocated), mb(r.heap.Retained))
	}
	tw.Flush()
	verdict := "aim held"
	if ratio > resultsAimRatio {
		verdict = "aim missed"
	}
	fmt.Fprintf(w, "aim: results ≤ %.0f× the SQLite read (wall-clock medians): %.2f×, %s (min to min %.2f×; CPU medians %.2f×)\n",
		resultsAimRatio, ratio, verdict, float64(ours.min())/float64(base.min()),
		float64(ours.cpuMedian())/float64(max(base.cpuMedian(), 1)))
	fmt.Fprintln(w, "CPU: the process's CPU time during a run, every thread included; peak heap: the most the heap of objects "+
		"grew during one run (sampled every 100µs, garbage not yet collected included); allocated: all bytes it allocated; "+
		"retained: what its result keeps alive")
	var icc []string
	for _, r := range ck.ICC {
		icc = append(icc, fmt.Sprintf("%s %.3f (ICC(1,k) %.3f)", r.Class, r.ICC1, r.ICC1K))
	}
	fmt.Fprintf(w, "results: %d projects, %d with a score, %d sheets; proposals pass %d, fail %d, none %d; "+
		"leniency: %d experts, %d component(s), converged %v in %d iterations; ICC(1): %s\n", ck.Projects, ck.Scored, ck.Sheets,
		ck.Proposals[aggregate.Pass], ck.Proposals[aggregate.Fail], ck.Proposals[aggregate.None], ck.Experts, ck.Components,
		ck.Converged, ck.Iterations, strings.Join(icc, ", "))

	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "results page (agency staff, 127.0.0.1)\trequests\tmedian\tmin\tmax\tCPU median\tsize\t")
	slowest := time.Duration(0)
	for _, p := range pages {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%.0f kB\t\n", p.label, p.runs(), ms(p.median()), ms(p.min()), ms(p.max()),
			ms(p.cpuMedian()), float64(p.bytes)/1024)
		if !strings.HasPrefix(p.label, "API") {
			slowest = max(slowest, p.median())
		}
	}
	tw.Flush()
	verdict = "aim held"
	if slowest > resultsAimPage {
		verdict = "aim missed"
	}
	fmt.Fprintf(w, "aim: every results page ≤ %s (wall-clock medians, request to last byte): slowest %s, %s\n", resultsAimPage,
		ms(slowest), verdict)
}
