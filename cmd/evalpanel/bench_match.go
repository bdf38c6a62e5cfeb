package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/password"
)

// benchMatchAim is the aim of scenario (e): the campaign-wide match, from
// the API call to the panels and the draw record stored, answers within it.
const benchMatchAim = 5 * time.Second

// benchMatchDisciplines is the most disciplines (three-digit subject
// prefixes) the match campaign's projects and experts spread over, as in
// the matcher's own benchmark (evaluation/assign/match_bench_test.go); a
// smaller pool has one discipline per benchMatchPerDiscipline experts, so
// that each still has investors and international peers.
const (
	benchMatchDisciplines   = 40
	benchMatchPerDiscipline = 500
)

// benchMatchResult is what one timed match measured.
type benchMatchResult struct {
	Projects, Experts int
	Seeded            time.Duration // seeding, not measured
	Elapsed           time.Duration // from sending the request to reading the whole answer
	Panels, Records   int           // stored afterwards
	Answer            int           // the panels listed in the answer
}

// setupMatch fills the database at path with the pool and the campaign of
// scenario (e): experts profiles (imported in batches, as the expert import
// does) and a campaign in forming with projects (applied technology and
// basic research, half each) spread over the disciplines; no panels yet.
// It returns the campaign and a bearer token of its agency's staff.
func setupMatch(ctx context.Context, path string, projects, experts int) (campaignID int64, token string, err error) {
	db, svc, err := openService(ctx, path, password.Fast)
	if err != nil {
		return 0, "", err
	}
	defer db.Close()

	const code = "MATCH"
	if _, err := svc.Accounts.CreateAgency(ctx, evaluation.System, evaluation.NewAgency{Code: code, NameZH: "匹配基准中心",
		NameEN: "Match Benchmark Center"}); err != nil {
		return 0, "", fmt.Errorf("agency: %w", err)
	}
	u, err := svc.Accounts.CreateUser(ctx, evaluation.System, evaluation.NewUser{Username: "match.staff", Name: "匹配测试员",
		Role: evaluation.RoleAgencyStaff, AgencyCode: code, Password: benchPassword})
	if err != nil {
		return 0, "", fmt.Errorf("staff: %w", err)
	}
	staff := u.Actor()
	if token, _, err = svc.Accounts.CreateToken(ctx, staff, "bench", evaluation.LoginMeta{IP: "127.0.0.1", Channel: "api"}); err != nil {
		return 0, "", err
	}

	// The same mix of types as the matcher's benchmark; institutions are
	// drawn from one list with the projects' leads, so that a few experts
	// conflict with each project.
	r := rand.New(rand.NewPCG(42, 2026))
	disciplines := min(max(experts/benchMatchPerDiscipline, 1), benchMatchDisciplines)
	types := []struct {
		t evaluation.ExpertType
		w int
	}{{evaluation.DomainExpert, 50}, {evaluation.StrategicScientist, 10}, {evaluation.InternationalPeer, 8},
		{evaluation.Investor, 6}, {evaluation.Entrepreneur, 6}, {evaluation.FinanceExpert, 20}}
	subject := func(d int) string { return fmt.Sprintf("%03d.%02d", 110+10*d, 10+r.IntN(8)) }
	institution := func() string { return fmt.Sprintf("匹配研究院%03d", r.IntN(max(experts/30, 20))) }
	batch := make([]*evaluation.Expert, 0, evaluation.MaxImportRows)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := svc.Pool.ImportExperts(ctx, evaluation.System, batch, evaluation.ImportFile{Name: "bench-pool.csv", Format: "csv"})
		batch = batch[:0]
		return err
	}
	for i := range experts {
		x, typ := r.IntN(100), evaluation.DomainExpert
		for _, t := range types {
			if x < t.w {
				typ = t.t
				break
			}
			x -= t.w
		}
		ds := []int{r.IntN(disciplines)}
		if r.IntN(10) < 3 {
			ds = append(ds, r.IntN(disciplines))
		}
		e := &evaluation.Expert{Name: fmt.Sprintf("匹配专家%05d", i+1), Type: typ, Institution: institution(),
			TitleLevel: evaluation.TitleSenior, Region: evaluation.RegionNonLocal, CanBeDrawn: true}
		for _, d := range ds {
			e.SubjectCodes = append(e.SubjectCodes, subject(d))
			e.Keywords = append(e.Keywords, fmt.Sprintf("领域%d-%d", d, r.IntN(40)))
		}
		batch = append(batch, e)
		if len(batch) == evaluation.MaxImportRows {
			if err := flush(); err != nil {
				return 0, "", fmt.Errorf("import experts: %w", err)
			}
		}
	}
	if err := flush(); err != nil {
		return 0, "", fmt.Errorf("import experts: %w", err)
	}

	c, err := svc.Campaigns.CreateCampaign(ctx, staff, evaluation.NewCampaign{Name: "匹配基准批次",
		Year: time.Now().In(evaluation.Beijing).Year()})
	if err != nil {
		return 0, "", fmt.Errorf("campaign: %w", err)
	}
	list := make([]*evaluation.Project, projects)
	for i := range list {
		p := benchProject(i + 1)
		p.Code = fmt.Sprintf("MATCH-%05d", i+1)
		p.Lead = institution()
		p.SubjectCodes = []string{subject(r.IntN(disciplines))}
		if i%2 == 1 {
			p.Class = evaluation.BasicResearch
		}
		list[i] = p
	}
	if err := svc.Campaigns.CreateProjects(ctx, staff, c.ID, list); err != nil {
		return 0, "", fmt.Errorf("projects: %w", err)
	}
	if _, err := svc.Campaigns.TransitionCampaign(ctx, staff, c.ID, evaluation.CampaignForming, ""); err != nil {
		return 0, "", err
	}
	return c.ID, token, nil
}

// runMatch seeds the match campaign in its own database, starts a server
// over it on 127.0.0.1 and times one POST of the match route: the
// matcher, the panels and the draw record stored, and the answer read.
// It then counts what was stored.
func runMatch(ctx context.Context, dir string, projects, experts int, logger *slog.Logger) (benchMatchResult, error) {
	res := benchMatchResult{Projects: projects, Experts: experts}
	path := filepath.Join(dir, "match.db")
	start := time.Now()
	campaignID, token, err := setupMatch(ctx, path, projects, experts)
	if err != nil {
		return res, fmt.Errorf("match setup: %w", err)
	}
	res.Seeded = time.Since(start)
	srv, err := startServer(ctx, serverConfig{Addr: "127.0.0.1:0", DB: path, DataDir: filepath.Join(dir, "match-data"),
		Password: password.Default, Logger: logger, Stdout: io.Discard})
	if err != nil {
		return res, err
	}
	defer srv.shutdown(10 * time.Second)

	client := &http.Client{Timeout: 5 * time.Minute}
	defer client.CloseIdleConnections()
	if _, err := benchDo(ctx, client, benchRequest{method: http.MethodGet, url: srv.URL() + "/api/v1/me", token: token}); err != nil {
		return res, fmt.Errorf("match warm up: %w", err)
	}
	var answer struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	req := benchRequest{method: http.MethodPost, url: fmt.Sprintf("%s/api/v1/campaigns/%d/panels/match", srv.URL(), campaignID),
		token: token, body: []byte(`{"seed":"` + benchSeed + `"}`), into: &answer}
	start = time.Now()
	if _, err := benchDo(ctx, client, req); err != nil {
		return res, fmt.Errorf("match: %w", err)
	}
	res.Elapsed = time.Since(start)
	res.Answer = len(answer.Items)

	q := srv.db.SQL()
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM panels WHERE campaign_id = ?`, campaignID).Scan(&res.Panels); err != nil {
		return res, fmt.Errorf("count panels: %w", err)
	}
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM draws WHERE campaign_id = ? AND kind = 'match'`, campaignID).Scan(&res.Records); err != nil {
		return res, fmt.Errorf("count draw records: %w", err)
	}
	return res, nil
}

// printMatch prints the match's figures and whether its aim holds.
func printMatch(w io.Writer, m benchMatchResult) {
	verdict := "holds"
	if m.Elapsed >= benchMatchAim {
		verdict = "MISSED"
	}
	fmt.Fprintf(w, "match (e): %d projects × %d experts (seeded in %s, not measured): POST /api/v1/campaigns/:id/panels/match answered in %.2f s "+
		"(%d panels in the answer; %d panels and %d draw records stored); aim < %.0f s: %s\n",
		m.Projects, m.Experts, m.Seeded.Round(time.Millisecond), m.Elapsed.Seconds(), m.Answer, m.Panels, m.Records,
		benchMatchAim.Seconds(), verdict)
}
