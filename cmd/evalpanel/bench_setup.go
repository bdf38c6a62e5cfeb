package main

import (
	"context"
	"fmt"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/password"
)

// The bench's campaign: panels of benchTechnical technical members (and
// one finance member), each over benchPanelProjects projects, which is
// also the campaign's load cap, so that every draw seats fresh experts.
const (
	benchTechnical     = 5
	benchPanelProjects = 10
	benchPassword      = "evalpanel-bench-password"
	// benchSeed makes the draws, and so the panels, the same in every run.
	benchSeed = "6576616c70616e656c2d62656e63682d6576616c70616e656c2d62656e636821"
)

// benchSheet is one sheet a bench client saves: a technical member's
// sheet for a project of their panel, pledge signed and no conflict
// declared, with the member's bearer token.
type benchSheet struct {
	token     string
	projectID int64
	expert    string // the member's username
}

// benchSetupStats says what setupBench made.
type benchSetupStats struct {
	Experts, Projects, Panels, Sheets int
	// CampaignID is the campaign whose results page scenario (d) reads.
	CampaignID int64
}

// benchCommission is the username of the commission's account, which
// reads the campaign's results in scenario (d).
const benchCommission = "bench.commission"

// setupBench fills the database at path, through the services as the web
// would, with a campaign in scoring that has at least n sheets ready to be
// saved: the default rubrics, an agency and its staff, an expert pool with
// accounts, the projects, panels drawn, invited and accepted, the pledge
// signed and no conflict declared for each sheet, and a token for each
// expert. It returns the sheets ordered by expert, then project.
func setupBench(ctx context.Context, path string, n int) ([]benchSheet, benchSetupStats, error) {
	var stats benchSetupStats
	db, svc, err := openService(ctx, path, password.Fast)
	if err != nil {
		return nil, stats, err
	}
	defer db.Close()

	const code = "BENCH"
	if _, err := svc.Accounts.CreateAgency(ctx, evaluation.System, evaluation.NewAgency{Code: code, NameZH: "基准测试中心",
		NameEN: "Benchmark Center"}); err != nil {
		return nil, stats, fmt.Errorf("agency: %w", err)
	}
	u, err := svc.Accounts.CreateUser(ctx, evaluation.System, evaluation.NewUser{Username: "bench.staff", Name: "基准测试员",
		Role: evaluation.RoleAgencyStaff, AgencyCode: code, Password: benchPassword})
	if err != nil {
		return nil, stats, fmt.Errorf("staff: %w", err)
	}
	staff := u.Actor()
	if _, err := svc.Accounts.CreateUser(ctx, evaluation.System, evaluation.NewUser{Username: benchCommission, Name: "基准委员会",
		Role: evaluation.RoleCommission, Password: benchPassword}); err != nil {
		return nil, stats, fmt.Errorf("commission: %w", err)
	}

	perPanel := benchTechnical * benchPanelProjects
	stats.Panels = (n + perPanel - 1) / perPanel
	stats.Projects = stats.Panels * benchPanelProjects
	// Each panel seats fresh experts (the load cap is one panel's worth);
	// the draw also ranks a finance alternate, and a few spares keep it
	// from running short.
	experts := map[int64]evaluation.Actor{}
	usernames := map[int64]string{}
	for i, typ := range benchPool(stats.Panels) {
		ex := &evaluation.Expert{Name: fmt.Sprintf("基准专家%04d", i+1), Type: typ, Institution: fmt.Sprintf("基准研究所%04d", i+1),
			TitleLevel: evaluation.TitleSenior, Region: evaluation.RegionLocal, CanBeDrawn: true, SubjectCodes: []string{"480.20"}}
		if err := svc.Pool.CreateExpert(ctx, evaluation.System, ex); err != nil {
			return nil, stats, fmt.Errorf("expert %d: %w", i+1, err)
		}
		u, err := svc.Accounts.CreateUser(ctx, evaluation.System, evaluation.NewUser{Username: fmt.Sprintf("bench.ex%04d", i+1),
			Name: ex.Name, Role: evaluation.RoleExpert, ExpertID: ex.ID, Password: benchPassword})
		if err != nil {
			return nil, stats, fmt.Errorf("account of expert %d: %w", i+1, err)
		}
		experts[ex.ID], usernames[ex.ID] = u.Actor(), u.Username
	}
	stats.Experts = len(experts)

	settings := evaluation.DefaultCampaignSettings()
	rules := settings.Panels[evaluation.AppliedTechnology]
	rules.Technical, rules.Finance, rules.Alternates, rules.Quotas = benchTechnical, 1, 0, nil
	settings.Panels[evaluation.AppliedTechnology] = rules
	settings.LoadCampaign, settings.LoadYear = benchPanelProjects, benchPanelProjects
	c, err := svc.Campaigns.CreateCampaign(ctx, staff, evaluation.NewCampaign{Name: "基准测试批次",
		Year: time.Now().In(evaluation.Beijing).Year(), Settings: &settings})
	if err != nil {
		return nil, stats, fmt.Errorf("campaign: %w", err)
	}
	projects := make([]*evaluation.Project, stats.Projects)
	for i := range projects {
		projects[i] = benchProject(i + 1)
	}
	if err := svc.Campaigns.CreateProjects(ctx, staff, c.ID, projects); err != nil {
		return nil, stats, fmt.Errorf("projects: %w", err)
	}
	if _, err := svc.Campaigns.TransitionCampaign(ctx, staff, c.ID, evaluation.CampaignForming, ""); err != nil {
		return nil, stats, err
	}
	var panels []*evaluation.Panel
	for i := 0; i < len(projects); i += benchPanelProjects {
		var ids []int64
		for _, p := range projects[i : i+benchPanelProjects] {
			ids = append(ids, p.ID)
		}
		p, err := svc.Panels.DrawPanel(ctx, staff, c.ID, ids, benchSeed)
		if err != nil {
			return nil, stats, fmt.Errorf("draw panel %d: %w", len(panels)+1, err)
		}
		if err := svc.Panels.InvitePanel(ctx, staff, p.ID); err != nil {
			return nil, stats, err
		}
		if p, err = svc.Panels.Panel(ctx, staff, p.ID); err != nil {
			return nil, stats, err
		}
		for _, m := range p.Members {
			if m.Status == evaluation.MemberInvited {
				if _, err := svc.Panels.RespondToInvitation(ctx, experts[m.ExpertID], m.ID, true, ""); err != nil {
					return nil, stats, fmt.Errorf("accept panel %d: %w", p.ID, err)
				}
			}
		}
		panels = append(panels, p)
	}
	if _, err := svc.Campaigns.TransitionCampaign(ctx, staff, c.ID, evaluation.CampaignScoring, ""); err != nil {
		return nil, stats, err
	}

	var sheets []benchSheet
	for _, p := range panels {
		for _, m := range p.Seated(evaluation.SeatTechnical) {
			if len(sheets) == n {
				break
			}
			a := experts[m.ExpertID]
			if err := svc.Sheets.SignPledge(ctx, a, c.ID, evaluation.PledgeVersion); err != nil {
				return nil, stats, fmt.Errorf("pledge: %w", err)
			}
			token, _, err := svc.Accounts.CreateToken(ctx, a, "bench", evaluation.LoginMeta{IP: "127.0.0.1", Channel: "api"})
			if err != nil {
				return nil, stats, fmt.Errorf("token: %w", err)
			}
			for _, id := range p.ProjectIDs {
				if len(sheets) == n {
					break
				}
				if err := svc.Sheets.DeclareNoConflict(ctx, a, id); err != nil {
					return nil, stats, fmt.Errorf("declaration: %w", err)
				}
				sheets = append(sheets, benchSheet{token: token, projectID: id, expert: usernames[m.ExpertID]})
			}
		}
	}
	if len(sheets) < n {
		return nil, stats, fmt.Errorf("setup made %d sheets, want %d", len(sheets), n)
	}
	stats.Sheets, stats.CampaignID = len(sheets), c.ID
	return sheets, stats, nil
}

// benchPool lists the expert types of a pool for the given number of
// panels: five technical and two finance experts per panel, and spares.
func benchPool(panels int) []evaluation.ExpertType {
	var out []evaluation.ExpertType
	for range benchTechnical*panels + 2 {
		out = append(out, evaluation.DomainExpert)
	}
	for range 2*panels + 2 {
		out = append(out, evaluation.FinanceExpert)
	}
	return out
}

// benchProject is an applied technology project like the ones campaigns
// import, led by an institution no expert of the pool belongs to.
func benchProject(i int) *evaluation.Project {
	f := func(v float64) *float64 { return &v }
	return &evaluation.Project{Code: fmt.Sprintf("BENCH-%05d", i), Title: "高性能储能电池管理系统研发",
		Class: evaluation.AppliedTechnology, Lead: "基准大学", PI: evaluation.Member{Name: "吴建平"}, SubjectCodes: []string{"480.20"},
		Indicators: []evaluation.Indicator{
			{Name: "电池管理系统 SOC 估算误差", Target: evaluation.Target{Value: f(3), Unit: "%", Direction: evaluation.AtMost},
				Actual: evaluation.Actual{Value: f(2.5)}},
			{Name: "申请发明专利", Kind: evaluation.IndicatorIP, Target: evaluation.Target{Value: f(5), Unit: "项"},
				Actual: evaluation.Actual{Value: f(4.2)}},
			{Name: "形成示范应用", Target: evaluation.Target{Text: "在 2 个储能电站示范运行"}},
		}}
}
