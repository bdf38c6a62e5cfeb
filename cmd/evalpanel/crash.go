package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
)

// crashConfig is what the crash-test command's flags set.
type crashConfig struct {
	Cycles  int
	Clients int
	// Sheets is the number of sheets each client works through.
	Sheets int
	Seed   uint64
	// MaxUp bounds how long the server runs before it is killed: a
	// uniformly drawn time from 0 to MaxUp after it is listening.
	MaxUp time.Duration
	DBDir string
	Keep  bool
	// command makes the command line of a child evalpanel process; nil
	// runs this program's executable.
	command func(args ...string) *exec.Cmd
}

// crashReport is what a crash test found.
type crashReport struct {
	Cycles       int
	Acknowledged int
	Submitted    int
	Lost         int
	Problems     []string
}

// cmdCrashTest starts the server as a child process over and over on the
// same database, kills it with SIGKILL at random moments while clients save
// and submit sheets, and checks at the end that every write the server
// acknowledged is there, that SQLite finds the file sound and that the
// audit chain holds. It exits 1 on any lost write or problem.
func cmdCrashTest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("crash-test", stderr)
	cfg := crashConfig{}
	fs.IntVar(&cfg.Cycles, "cycles", 20, "times the server is killed and restarted")
	fs.IntVar(&cfg.Clients, "clients", 8, "concurrent clients saving and submitting sheets")
	fs.IntVar(&cfg.Sheets, "sheets", 0, "sheets each client works through (default: enough for the cycles)")
	fs.Uint64Var(&cfg.Seed, "seed", 0, "seed of the kill times and the clients' choices (default: from the clock; printed)")
	fs.DurationVar(&cfg.MaxUp, "max-up", 600*time.Millisecond, "longest time the server runs before it is killed")
	fs.StringVar(&cfg.DBDir, "db-dir", os.TempDir(), "folder in which to make the temporary folder of the SQLite file")
	fs.BoolVar(&cfg.Keep, "keep", false, "keep the temporary folder (database and the servers' log) and print where it is")
	if err := parse(fs, args); err != nil {
		return err
	}
	if cfg.Cycles < 1 || cfg.Clients < 1 || cfg.Clients > 256 || cfg.Sheets < 0 || cfg.MaxUp <= 0 {
		fmt.Fprintln(stderr, "crash-test: --cycles, --clients (up to 256) and --max-up must be positive")
		return exitError(2)
	}
	rep, err := runCrashTest(ctx, cfg, stdout)
	if err != nil {
		return err
	}
	if rep.Lost > 0 || len(rep.Problems) > 0 {
		for _, p := range rep.Problems {
			fmt.Fprintln(stderr, "crash-test:", p)
		}
		return exitError(1)
	}
	return nil
}

// runCrashTest sets up a campaign in scoring, runs the cycles and checks
// the result; it prints as it goes.
func runCrashTest(ctx context.Context, cfg crashConfig, stdout io.Writer) (*crashReport, error) {
	if cfg.Seed == 0 {
		cfg.Seed = uint64(time.Now().UnixNano())
	}
	if cfg.Sheets == 0 {
		cfg.Sheets = 24 + 10*cfg.Cycles
	}
	dir, err := os.MkdirTemp(cfg.DBDir, "evalpanel-crash-")
	if err != nil {
		return nil, err
	}
	if cfg.Keep {
		defer fmt.Fprintf(stdout, "kept %s\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	fmt.Fprintf(stdout, "evalpanel crash-test: seed %d, %d cycles, %d clients, SQLite file in %s\n", cfg.Seed, cfg.Cycles, cfg.Clients, dir)

	start := time.Now()
	dbPath := filepath.Join(dir, "evalpanel.db")
	sheets, stats, err := setupBench(ctx, dbPath, cfg.Clients*cfg.Sheets)
	if err != nil {
		return nil, fmt.Errorf("crash-test setup: %w", err)
	}
	fmt.Fprintf(stdout, "setup: %d experts, %d projects, %d panels, %d sheets, in %s\n",
		stats.Experts, stats.Projects, stats.Panels, stats.Sheets, time.Since(start).Round(time.Millisecond))

	logFile, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	starter := childStarter{command: cfg.command, db: dbPath, data: filepath.Join(dir, "data"), log: logFile}

	rng := rand.New(rand.NewPCG(cfg.Seed, 0x63726173682d7465))
	var live atomic.Pointer[string]
	clients := make([]*crashClient, cfg.Clients)
	for i, list := range splitSheets(sheets, cfg.Clients) {
		clients[i] = newCrashClient(i, list, rand.New(rand.NewPCG(cfg.Seed, uint64(i+1))), &live)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Add(1)
		go func() { defer wg.Done(); c.run(ctx, stop) }()
	}
	stopClients := func() {
		select {
		case <-stop:
		default:
			close(stop)
		}
		wg.Wait()
	}
	defer stopClients()

	rep := &crashReport{}
	noted := false
	for cycle := 1; cycle <= cfg.Cycles; cycle++ {
		before := acknowledged(clients)
		child, err := starter.start(ctx)
		if err != nil {
			return nil, fmt.Errorf("cycle %d: %w", cycle, err)
		}
		url := child.url
		live.Store(&url)
		up := time.Duration(rng.Int64N(int64(cfg.MaxUp) + 1))
		select {
		case <-time.After(up):
		case <-ctx.Done():
		}
		live.Store(nil)
		if err := child.kill(); err != nil {
			return nil, fmt.Errorf("cycle %d: %w", cycle, err)
		}
		rep.Cycles = cycle
		fmt.Fprintf(stdout, "cycle %2d: killed (SIGKILL) %4dms after it listened; %5d writes acknowledged in the cycle\n",
			cycle, up.Milliseconds(), acknowledged(clients)-before)
		if n := finishedClients(clients); n > 0 && cycle < cfg.Cycles && !noted {
			noted = true
			fmt.Fprintf(stdout, "note: %d of %d clients have submitted all their sheets; the next cycles see less load (raise --sheets)\n",
				n, len(clients))
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}

	// A last start, not killed: the clients stop, then every sheet is read
	// back over the API and compared with what was acknowledged.
	child, err := starter.start(ctx)
	if err != nil {
		return nil, fmt.Errorf("restart after the last cycle: %w", err)
	}
	stopClients()
	for _, c := range clients {
		for _, sh := range c.sheets {
			rep.Acknowledged += len(sh.acks)
			for _, a := range sh.acks {
				if a.submit {
					rep.Submitted++
				}
			}
		}
	}
	unanswered, refused, landed := 0, 0, 0
	for _, c := range clients {
		unanswered += c.unanswered
		refused += c.refused
		landed += c.landed
		for _, u := range c.unexpected {
			rep.Problems = append(rep.Problems, fmt.Sprintf("client %d: unexpected answer: %s", c.id, u))
		}
		rep.Lost += len(c.lost)
		for _, l := range c.lost {
			rep.Problems = append(rep.Problems, fmt.Sprintf("client %d: %s", c.id, l))
		}
	}
	fmt.Fprintf(stdout, "requests without an answer (server killed or not yet back): %d; writes without an answer found committed when read back: %d; "+
		"answers other than 200: %d\n", unanswered, landed, refused)
	checkErr := checkCrashSheets(ctx, child.url, clients, rep)
	if err := child.terminate(); err != nil {
		return nil, err
	}
	if checkErr != nil {
		return nil, checkErr
	}

	db, err := sqlstore.Inspect(ctx, dbPath)
	if err != nil {
		return nil, err
	}
	if err := db.IntegrityCheck(ctx); err != nil {
		rep.Problems = append(rep.Problems, err.Error())
	} else {
		fmt.Fprintln(stdout, "PRAGMA integrity_check: ok (and foreign_key_check: none)")
	}
	db.Close()
	var audit bytes.Buffer
	if err := cmdAuditVerify(ctx, []string{"--db", dbPath}, &audit, &audit); err != nil {
		rep.Problems = append(rep.Problems, fmt.Sprintf("audit verify: %v: %s", err, strings.TrimSpace(audit.String())))
	} else {
		fmt.Fprintf(stdout, "audit verify: %s\n", strings.SplitN(audit.String(), "\n", 2)[0])
	}

	fmt.Fprintf(stdout, "cycles: %d\nwrites acknowledged: %d (%d of them submits)\nwrites lost: %d\n",
		rep.Cycles, rep.Acknowledged, rep.Submitted, rep.Lost)
	return rep, nil
}

func finishedClients(clients []*crashClient) int {
	n := 0
	for _, c := range clients {
		if c.finished.Load() {
			n++
		}
	}
	return n
}

func acknowledged(clients []*crashClient) int {
	n := 0
	for _, c := range clients {
		n += int(c.acked.Load())
	}
	return n
}

// checkCrashSheets reads every sheet back and compares it with the writes
// the server acknowledged: each acknowledged version is there (the stored
// version is at least it, and a submit left the sheet submitted), and the
// last acknowledged write is stored as it was acknowledged unless a later
// write, one the client sent but never heard back about, replaced it.
func checkCrashSheets(ctx context.Context, url string, clients []*crashClient, rep *crashReport) error {
	hc := &http.Client{Timeout: 30 * time.Second}
	defer hc.CloseIdleConnections()
	for _, c := range clients {
		for _, sh := range c.sheets {
			got, err := fetchSheet(ctx, hc, url, sh.token, sh.projectID)
			if err != nil {
				return fmt.Errorf("read back: %w", err)
			}
			lostBefore := rep.Lost
			for _, a := range sh.acks {
				if a.lost {
					continue
				}
				if got.Version < a.version || a.submit && got.Status != evaluation.SheetSubmitted {
					rep.Lost++
				}
			}
			if rep.Lost > lostBefore {
				rep.Problems = append(rep.Problems, fmt.Sprintf("project %d (client %d): %d acknowledged writes lost: stored version %d, %s; acknowledged up to version %d",
					sh.projectID, c.id, rep.Lost-lostBefore, got.Version, got.Status, sh.acks[len(sh.acks)-1].version))
				continue
			}
			var last *crashAck
			if n := len(sh.acks); n > 0 && !sh.acks[n-1].lost {
				last = &sh.acks[n-1]
			}
			switch {
			case got.Version > sh.sent:
				rep.Problems = append(rep.Problems, fmt.Sprintf("project %d (client %d): stored version %d, but no write beyond version %d was sent",
					sh.projectID, c.id, got.Version, sh.sent))
			case last != nil && got.Version == last.version && !sameContent(got.Content, last.content):
				rep.Lost++
				rep.Problems = append(rep.Problems, fmt.Sprintf("project %d (client %d): version %d stored with other content than acknowledged:\n  stored %s\n  acked  %s",
					sh.projectID, c.id, got.Version, got.Content, last.content))
			}
		}
	}
	return nil
}

// sameContent compares two JSON documents by value.
func sameContent(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// crashSheet is a sheet as the API returns it, what the test compares.
type crashSheet struct {
	ID      int64                  `json:"id"`
	Status  evaluation.SheetStatus `json:"status"`
	Version int                    `json:"version"`
	Content json.RawMessage        `json:"content"`
}

func fetchSheet(ctx context.Context, hc *http.Client, url, token string, projectID int64) (*crashSheet, error) {
	body, status, err := crashDo(ctx, hc, http.MethodGet, fmt.Sprintf("%s/api/v1/projects/%d/sheet", url, projectID), token, nil)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("GET sheet of project %d: status %d: %.200s", projectID, status, body)
	}
	var v struct {
		Sheet crashSheet `json:"sheet"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, fmt.Errorf("GET sheet of project %d: %w", projectID, err)
	}
	return &v.Sheet, nil
}

// crashDo sends one request and reads the whole answer.
func crashDo(ctx context.Context, hc *http.Client, method, url, token string, body []byte) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return nil, 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := hc.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, resp.StatusCode, err
	}
	return b, resp.StatusCode, nil
}

// crashAck is a write the server acknowledged: 200 with the sheet as
// stored.
type crashAck struct {
	sheetID int64
	version int
	submit  bool
	content json.RawMessage
	// lost is set when the sheet, read back after a kill, was found
	// older than this write: the versions that follow reuse its number.
	lost bool
}

// crashClientSheet is one sheet a client works on and what it knows of it.
type crashClientSheet struct {
	benchSheet
	// version and status are the sheet as last acknowledged or read.
	version int
	status  evaluation.SheetStatus
	// drafts is how many drafts to save before submitting.
	drafts int
	// sent is the highest version a write sent could have made.
	sent int
	acks []crashAck
}

// crashClient saves drafts and submits its sheets one after the other, as
// fast as the server answers, through kills and restarts: after a request
// without an answer (or with an unexpected one) it reads the sheet again
// before writing on, since the write may or may not have been committed.
type crashClient struct {
	id int
	// mu guards the sheets' acks while the client runs (see lastAcks).
	mu     sync.Mutex
	sheets []*crashClientSheet
	// lives are the servers to send to, each nil while its server is
	// down: each request goes to one of them at random.
	lives []*atomic.Pointer[string]
	rng   *rand.Rand
	acked atomic.Int64
	// unanswered counts requests without an answer (the server was
	// killed or not yet back); refused counts answers other than 200, and
	// unexpected those among them other than 409 (a save based on a
	// version that a write without an answer has since replaced).
	unanswered, refused int
	unexpected          []string
	// landed counts writes without an answer that the server had
	// committed: the sheet read back afterwards had moved on.
	landed int
	// lost lists the acknowledged writes found missing when the client
	// read a sheet back after a kill.
	lost []string
	// finished is set when the client has submitted all its sheets.
	finished atomic.Bool
}

func newCrashClient(id int, list []benchSheet, rng *rand.Rand, lives ...*atomic.Pointer[string]) *crashClient {
	c := &crashClient{id: id, lives: lives, rng: rng}
	for _, sh := range list {
		c.sheets = append(c.sheets, &crashClientSheet{benchSheet: sh, drafts: 1 + rng.IntN(8)})
	}
	return c
}

// lastAcks returns the last acknowledged write of each sheet the client has
// written so far, with the sheet; it may be called while the client runs.
func (c *crashClient) lastAcks() map[benchSheet]crashAck {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[benchSheet]crashAck{}
	for _, sh := range c.sheets {
		if n := len(sh.acks); n > 0 {
			out[sh.benchSheet] = sh.acks[n-1]
		}
	}
	return out
}

func (c *crashClient) run(ctx context.Context, stop <-chan struct{}) {
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxConnsPerHost: 1, MaxIdleConnsPerHost: 1,
		DisableCompression: true, DialContext: (&net.Dialer{Timeout: 2 * time.Second}).DialContext}}
	defer hc.CloseIdleConnections()
	stale := false
	for _, sh := range c.sheets {
		for sh.status != evaluation.SheetSubmitted {
			select {
			case <-stop:
				return
			case <-ctx.Done():
				return
			default:
			}
			p := c.lives[c.rng.IntN(len(c.lives))].Load()
			if p == nil {
				time.Sleep(5 * time.Millisecond)
				continue
			}
			url := *p
			if stale {
				got, err := fetchSheet(ctx, hc, url, sh.token, sh.projectID)
				if err != nil {
					c.unanswered++
					hc.CloseIdleConnections()
					time.Sleep(5 * time.Millisecond)
					continue
				}
				if got.Version > sh.version {
					c.landed++
				}
				c.mu.Lock()
				for i := range sh.acks {
					if a := &sh.acks[i]; a.version > got.Version && !a.lost {
						a.lost = true
						c.lost = append(c.lost, fmt.Sprintf("project %d: acknowledged version %d (%s) gone after a restart: stored version %d",
							sh.projectID, a.version, map[bool]string{false: "draft", true: "submit"}[a.submit], got.Version))
					}
				}
				c.mu.Unlock()
				sh.version, sh.status, stale = got.Version, got.Status, false
				continue
			}
			submit := len(sh.acks) >= sh.drafts
			method, path := http.MethodPut, "/api/v1/projects/%d/sheet"
			if submit {
				method, path = http.MethodPost, "/api/v1/projects/%d/sheet/submit"
			}
			sh.sent = max(sh.sent, sh.version+1)
			body, status, err := crashDo(ctx, hc, method, url+fmt.Sprintf(path, sh.projectID), sh.token, c.body(sh, submit))
			if err != nil {
				c.unanswered++
				stale = true
				hc.CloseIdleConnections()
				continue
			}
			var got crashSheet
			if status == http.StatusOK {
				err = json.Unmarshal(body, &got)
			}
			if status != http.StatusOK || err != nil {
				c.refused++
				if status != http.StatusConflict && len(c.unexpected) < 3 {
					c.unexpected = append(c.unexpected, fmt.Sprintf("%s project %d: status %d: %.300s", method, sh.projectID, status, body))
				}
				stale = true
				continue
			}
			c.mu.Lock()
			sh.acks = append(sh.acks, crashAck{sheetID: got.ID, version: got.Version, submit: submit, content: got.Content})
			c.mu.Unlock()
			sh.version, sh.status = got.Version, got.Status
			c.acked.Add(1)
		}
	}
	c.finished.Store(true)
}

// body is a save of the sheet based on its known version: a draft of two
// scores and a comment that name the client and the write, or the whole
// sheet.
func (c *crashClient) body(sh *crashClientSheet, submit bool) []byte {
	a1, a2 := 10+c.rng.IntN(12), 10+c.rng.IntN(10)
	note := fmt.Sprintf("崩溃测试 client %d, version %d", c.id, sh.version+1)
	if !submit {
		return fmt.Appendf(nil, `{"version":%d,"scores":{"A1":%d,"A2":%d.5},"comments":{"A1":%q},"opinion":""}`, sh.version, a1, a2, note)
	}
	// Scores outside 60–90 % of the maximum need a comment: only A1,
	// which has one, varies.
	return fmt.Appendf(nil, `{"version":%d,"scores":{"A1":%d,"A2":20,"A3":21,"A4":8,"A5":12},"comments":{"A1":%q},`+
		`"opinion":"项目完成了任务书规定的主要考核指标，技术路线合理。"}`, sh.version, a1, note)
}

// childStarter starts evalpanel servers as child processes on one
// database, each listening on a port of its own choosing.
type childStarter struct {
	command  func(args ...string) *exec.Cmd
	db, data string
	// log receives the children's output.
	log io.Writer
}

// child is a running evalpanel server process.
type child struct {
	cmd *exec.Cmd
	url string
	// exited is closed once the process has ended; err is then how.
	exited chan struct{}
	err    error
}

// start runs `evalpanel serve` and waits until it says where it listens.
func (s childStarter) start(ctx context.Context) (*child, error) {
	args := []string{"serve", "--addr", "127.0.0.1:0", "--db", s.db, "--data", s.data}
	var cmd *exec.Cmd
	if s.command != nil {
		cmd = s.command(args...)
	} else {
		exe, err := os.Executable()
		if err != nil {
			return nil, err
		}
		cmd = exec.Command(exe, args...)
	}
	cmd.Stderr = s.log
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start server: %w", err)
	}
	c := &child{cmd: cmd, exited: make(chan struct{})}
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			if u, ok := strings.CutPrefix(line, "evalpanel is listening on "); ok {
				listening <- strings.TrimSpace(u)
			}
			fmt.Fprintln(s.log, line)
		}
		io.Copy(io.Discard, out)
		c.err = cmd.Wait()
		close(c.exited)
	}()
	select {
	case c.url = <-listening:
		return c, nil
	case <-c.exited:
		return nil, fmt.Errorf("server ended before it listened: %v (see the server log)", c.err)
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		<-c.exited
		return nil, errors.New("server did not listen within 60s")
	case <-ctx.Done():
		cmd.Process.Kill()
		<-c.exited
		return nil, ctx.Err()
	}
}

// kill ends the server with SIGKILL, as a crash or power cut would end the
// process: no handler runs, nothing is flushed or closed.
func (c *child) kill() error {
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	<-c.exited
	return nil
}

// terminate asks the server to shut down gracefully and waits for it; on
// a server that has already ended it returns how it ended.
func (c *child) terminate() error {
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	select {
	case <-c.exited:
		if c.err != nil {
			return fmt.Errorf("server shut down: %w", c.err)
		}
		return nil
	case <-time.After(40 * time.Second):
		c.cmd.Process.Kill()
		<-c.exited
		return errors.New("server did not shut down within 40s of SIGTERM")
	}
}
