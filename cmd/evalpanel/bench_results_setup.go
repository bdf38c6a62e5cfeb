package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/password"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
	"github.com/evalpanel/evalpanel/rubrics"
)

// The results bench's campaign: panels of resultsPanelProjects projects of
// one class; each technical expert of the pool scores about
// resultsExpertLoad projects, under the campaign's load cap.
const (
	resultsPanelProjects = 10
	resultsExpertLoad    = 40
	resultsLoadCap       = 50
	// resultsBasicFifths is the share of basic research projects, in
	// fifths; the others are applied technology.
	resultsBasicFifths = 2
	// resultsStaff is the agency staff member who reads the results.
	resultsStaff = "bench.results"
)

// resultsSetup is what setupResults made: the campaign to read, the staff
// member who reads it (password benchPassword) with an API token, and the
// counts.
type resultsSetup struct {
	CampaignID int64
	Staff      evaluation.Actor
	Token      string
	Experts    int
	Projects   int
	Panels     int
	Sheets     int
}

// setupResults fills the database at path with one campaign, concluding,
// of n projects (basic research and applied technology) whose every
// panel member has submitted a sheet: technical experts on each panel
// and finance experts, drawn from a pool shared by all panels so that
// the experts' sheets link the projects into one component for the
// leniency fit. The agency, its staff, the campaign and its projects go
// through the services as the web would; the pool, the panels (confirmed,
// every member accepted), pledges, declarations and submitted sheets with
// their kept versions are written through the store's own writes in one
// transaction, without the audit entries the services would add. Every
// sheet passes its pinned rubric's check for a submission.
func setupResults(ctx context.Context, path string, n, technical, finance int) (*resultsSetup, error) {
	db, svc, err := openService(ctx, path, password.Fast)
	if err != nil {
		return nil, err
	}
	defer db.Close()

	const code = "RBENCH"
	if _, err := svc.Accounts.CreateAgency(ctx, evaluation.System, evaluation.NewAgency{Code: code, NameZH: "结果基准测试中心",
		NameEN: "Results Benchmark Center"}); err != nil {
		return nil, fmt.Errorf("agency: %w", err)
	}
	u, err := svc.Accounts.CreateUser(ctx, evaluation.System, evaluation.NewUser{Username: resultsStaff, Name: "结果测试员",
		Role: evaluation.RoleAgencyStaff, AgencyCode: code, Password: benchPassword})
	if err != nil {
		return nil, fmt.Errorf("staff: %w", err)
	}
	out := &resultsSetup{Staff: u.Actor(), Projects: n}

	settings := evaluation.DefaultCampaignSettings()
	for _, class := range evaluation.ProjectClasses {
		rules := settings.Panels[class]
		rules.Technical, rules.Finance, rules.Alternates, rules.Quotas = technical, finance, 0, nil
		settings.Panels[class] = rules
	}
	settings.LoadCampaign, settings.LoadYear = resultsLoadCap, resultsLoadCap
	c, err := svc.Campaigns.CreateCampaign(ctx, out.Staff, evaluation.NewCampaign{Name: "结果基准测试批次",
		Year: time.Now().In(evaluation.Beijing).Year(), Settings: &settings})
	if err != nil {
		return nil, fmt.Errorf("campaign: %w", err)
	}
	out.CampaignID = c.ID
	projects := make([]*evaluation.Project, n)
	for i := range projects {
		projects[i] = benchResultsProject(i + 1)
	}
	if err := svc.Campaigns.CreateProjects(ctx, out.Staff, c.ID, projects); err != nil {
		return nil, fmt.Errorf("projects: %w", err)
	}
	if _, err := svc.Campaigns.TransitionCampaign(ctx, out.Staff, c.ID, evaluation.CampaignForming, ""); err != nil {
		return nil, err
	}

	rbs := map[string]*evaluation.Rubric{}
	for key, pin := range settings.Rubrics {
		if rbs[key], err = db.Rubric(ctx, pin.Code, pin.Version); err != nil {
			return nil, err
		}
	}
	hash, err := password.New(password.Fast).Hash(benchPassword)
	if err != nil {
		return nil, err
	}
	s := &resultsSeeder{ctx: ctx, db: db, c: c, rubrics: rbs, hash: hash, technical: technical, finance: finance,
		rng: rand.New(rand.NewPCG(9, 2026)), at: time.Now().UTC()}
	if err := db.InTx(ctx, func(tx evaluation.Tx) error { return s.panels(tx, projects) }); err != nil {
		return nil, fmt.Errorf("panels: %w", err)
	}
	// The service checks that every project has a confirmed panel.
	if _, err := svc.Campaigns.TransitionCampaign(ctx, out.Staff, c.ID, evaluation.CampaignScoring, ""); err != nil {
		return nil, err
	}
	if err := db.InTx(ctx, func(tx evaluation.Tx) error { return s.sheets(tx) }); err != nil {
		return nil, fmt.Errorf("sheets: %w", err)
	}
	if _, err := svc.Campaigns.TransitionCampaign(ctx, out.Staff, c.ID, evaluation.CampaignConcluding, ""); err != nil {
		return nil, err
	}
	if out.Token, _, err = svc.Accounts.CreateToken(ctx, out.Staff, "bench-results",
		evaluation.LoginMeta{IP: "127.0.0.1", Channel: "api"}); err != nil {
		return nil, fmt.Errorf("token: %w", err)
	}
	out.Experts, out.Panels, out.Sheets = len(s.users), len(s.seated), s.made
	return out, nil
}

// benchResultsProject is project i of the bench's campaign, with a team and
// the other facts a project is imported with: two in five are basic
// research.
func benchResultsProject(i int) *evaluation.Project {
	p := benchProject(i)
	p.Code = fmt.Sprintf("RB-%05d", i)
	p.Lead = resultsLeads[i%len(resultsLeads)]
	other := resultsLeads[(i+3)%len(resultsLeads)]
	p.Participants = []string{other, "上海电气集团股份有限公司"}
	p.PI = evaluation.Member{Name: "吴建平", Institution: p.Lead, Role: "项目负责人"}
	for j, name := range []string{"彭子轩", "叶思远", "龚晓蕾", "段明哲", "周雨桐", "沈嘉怡"}[:3+i%4] {
		m := evaluation.Member{Name: name, Institution: p.Lead, Role: "研究骨干"}
		if j < 2 {
			m.Role = "课题负责人"
		}
		if j%3 == 1 {
			m.Institution = other
		}
		p.Members = append(p.Members, m)
	}
	p.Budget, p.Spent, p.Start, p.End = 2_000_000_00+int64(i%7)*50_000_00, 1_930_000_00+int64(i%5)*40_000_00, "2023-07-01", "2026-06-30"
	p.SubjectCodes, p.Keywords = []string{"480.20", "470.40"}, []string{"储能电池", "电池管理系统", "荷电状态估算", "示范应用"}
	if i%5 < resultsBasicFifths {
		p.Class, p.Title = evaluation.BasicResearch, "复杂网络动力学的同步与控制机理研究"
		p.SubjectCodes, p.Keywords = []string{"110.74", "120.20"}, []string{"复杂网络", "同步", "牵制控制", "动力学"}
	}
	return p
}

var resultsLeads = []string{"华东理工大学", "上海交通大学", "同济大学", "复旦大学", "上海电力大学", "中国科学院上海微系统研究所",
	"上海大学", "东华大学", "上海海事大学", "华东师范大学", "上海理工大学"}

// resultsSeeder writes the pool, the panels and the sheets.
type resultsSeeder struct {
	ctx                context.Context
	db                 *sqlstore.DB
	c                  *evaluation.Campaign
	rubrics            map[string]*evaluation.Rubric
	hash               string
	technical, finance int
	rng                *rand.Rand
	at                 time.Time

	// users is each expert's account id; bias an expert's leaning, as a
	// share of an indicator's maximum.
	users map[int64]int64
	bias  map[int64]float64
	// seated is each panel with its members, technical first.
	seated []seatedPanel
	made   int
}

type seatedPanel struct {
	panel    *evaluation.Panel
	class    evaluation.ProjectClass
	members  []*evaluation.PanelMember
	projects []int64
}

// panels makes the pool and the panels: per class, groups of
// resultsPanelProjects projects, each seating technical experts dealt
// from shuffled rounds of the pool (so loads stay even) and finance
// experts likewise.
func (s *resultsSeeder) panels(tx evaluation.Tx, projects []*evaluation.Project) error {
	n := len(projects)
	// At least two experts more than a panel seats, so that panels share
	// experts even in a tiny campaign.
	nTech := max((s.technical*n+resultsExpertLoad-1)/resultsExpertLoad, s.technical+2)
	nFin := max((s.finance*n+resultsExpertLoad-1)/resultsExpertLoad, s.finance+2)
	s.users, s.bias = map[int64]int64{}, map[int64]float64{}
	techTypes := []evaluation.ExpertType{evaluation.DomainExpert, evaluation.DomainExpert, evaluation.DomainExpert,
		evaluation.StrategicScientist, evaluation.Investor, evaluation.Entrepreneur}
	var tech, fin []int64
	for i := range nTech + nFin {
		typ := evaluation.FinanceExpert
		if i < nTech {
			typ = techTypes[i%len(techTypes)]
		}
		e := &evaluation.Expert{Name: fmt.Sprintf("结果专家%04d", i+1), Type: typ, Institution: fmt.Sprintf("评审研究院%03d", i%97+1),
			Title: "研究员", TitleLevel: evaluation.TitleSenior, SubjectCodes: []string{"480.20"}, Keywords: []string{},
			Region: evaluation.RegionLocal, Languages: []string{"zh"}, CanBeDrawn: true, CreatedAt: s.at, UpdatedAt: s.at}
		if err := tx.CreateExpert(s.ctx, e); err != nil {
			return err
		}
		u := &evaluation.User{Username: fmt.Sprintf("rbench.ex%04d", i+1), Name: e.Name, Role: evaluation.RoleExpert,
			ExpertID: e.ID, Language: evaluation.LangZH, PasswordHash: s.hash, CreatedAt: s.at, UpdatedAt: s.at}
		if err := tx.CreateUser(s.ctx, u); err != nil {
			return err
		}
		s.users[e.ID] = u.ID
		// Leniency: most experts within ±4% of the maximum, a few further.
		s.bias[e.ID] = 0.04 * s.rng.NormFloat64()
		if typ == evaluation.FinanceExpert {
			fin = append(fin, e.ID)
		} else {
			tech = append(tech, e.ID)
		}
	}
	techDeal, finDeal := s.dealer(tech), s.dealer(fin)
	byClass := map[evaluation.ProjectClass][]int64{}
	for _, p := range projects {
		byClass[p.Class] = append(byClass[p.Class], p.ID)
	}
	for _, class := range evaluation.ProjectClasses {
		ids := byClass[class]
		for i := 0; i < len(ids); i += resultsPanelProjects {
			p := &evaluation.Panel{CampaignID: s.c.ID, AgencyID: s.c.AgencyID, Name: fmt.Sprintf("第%d组", len(s.seated)+1),
				State: evaluation.PanelConfirmed, ProjectIDs: ids[i:min(i+resultsPanelProjects, len(ids))], CreatedAt: s.at, UpdatedAt: s.at}
			if err := tx.CreatePanel(s.ctx, p); err != nil {
				return err
			}
			sp := seatedPanel{panel: p, class: class, projects: p.ProjectIDs}
			for j, id := range append(techDeal(s.technical), finDeal(s.finance)...) {
				seat := evaluation.SeatTechnical
				if j >= s.technical {
					seat = evaluation.SeatFinance
				}
				m := &evaluation.PanelMember{PanelID: p.ID, ExpertID: id, Seat: seat, Chair: j == 0, Status: evaluation.MemberAccepted,
					Source: "manual", InvitedAt: s.at, RespondedAt: s.at, CreatedAt: s.at}
				if err := tx.AddPanelMember(s.ctx, m); err != nil {
					return err
				}
				sp.members = append(sp.members, m)
			}
			s.seated = append(s.seated, sp)
		}
	}
	return nil
}

// dealer deals k distinct experts at a time from shuffled rounds of the
// list: every expert is dealt once a round, so loads differ by at most
// one panel or so.
func (s *resultsSeeder) dealer(list []int64) func(k int) []int64 {
	var deck []int64
	return func(k int) []int64 {
		var hand []int64
		for len(hand) < k {
			if len(deck) == 0 {
				deck = append(deck, list...)
				s.rng.Shuffle(len(deck), func(i, j int) { deck[i], deck[j] = deck[j], deck[i] })
			}
			at := 0
			for at < len(deck) && containsID(hand, deck[at]) {
				at++
			}
			if at == len(deck) {
				// The rest of the round is already in the hand: start
				// another round.
				deck = nil
				continue
			}
			hand = append(hand, deck[at])
			deck = append(deck[:at], deck[at+1:]...)
		}
		return hand
	}
}

func containsID(list []int64, id int64) bool {
	for _, v := range list {
		if v == id {
			return true
		}
	}
	return false
}

// sheets has every member of every panel sign the pledge, declare no
// conflict with each project, and submit a sheet for it.
func (s *resultsSeeder) sheets(tx evaluation.Tx) error {
	pledged := map[int64]bool{}
	for _, sp := range s.seated {
		for _, projectID := range sp.projects {
			quality := 0.5 + 0.45*s.rng.Float64() // the project's share of the maximum
			for _, m := range sp.members {
				if !pledged[m.ExpertID] {
					if err := tx.CreatePledge(s.ctx, &evaluation.Pledge{CampaignID: s.c.ID, ExpertID: m.ExpertID,
						Version: evaluation.PledgeVersion, SignedAt: s.at}); err != nil {
						return err
					}
					pledged[m.ExpertID] = true
				}
				if err := tx.CreateDeclaration(s.ctx, projectID, m.ExpertID, s.at); err != nil {
					return err
				}
				key := string(sp.class)
				if m.Seat == evaluation.SeatFinance {
					key = "finance"
				}
				rb := s.rubrics[key]
				content := s.sheet(rb.Content, quality, m)
				res, ps := rb.Content.Check(&content.Sheet)
				if len(ps) > 0 {
					return fmt.Errorf("project %d, expert %d: the bench's sheet fails its rubric: %w", projectID, m.ExpertID, ps)
				}
				sh := &evaluation.Sheet{CampaignID: s.c.ID, AgencyID: s.c.AgencyID, PanelID: sp.panel.ID, ProjectID: projectID,
					ExpertID: m.ExpertID, Seat: m.Seat, RubricCode: rb.Code, RubricVersion: rb.Version, Status: evaluation.SheetSubmitted,
					Version: 1 + s.rng.IntN(4), Round: 1, Content: content, CreatedAt: s.at, UpdatedAt: s.at, SubmittedAt: s.at}
				if err := tx.CreateSheet(s.ctx, sh); err != nil {
					return err
				}
				if err := tx.AddSheetVersion(s.ctx, &evaluation.SheetVersion{SheetID: sh.ID, Round: 1, Version: sh.Version,
					Content: content, Total: res.Total, SubmittedBy: s.users[m.ExpertID], SubmittedAt: s.at}); err != nil {
					return err
				}
				s.made++
			}
		}
	}
	return nil
}

// Texts of the bench's sheets: a comment where the rubric asks for one
// (and on some other indicators, as experts write them), and an opinion of
// two to four sentences.
var (
	resultsHigh = []string{
		"该项完成情况突出，证据充分：第三方检测报告和现场测试记录均达到或优于任务书约定值。",
		"主要技术指标经现场测试核实，明显优于约定值，并已在用户单位稳定运行一年以上。",
	}
	resultsLow = []string{
		"该项完成情况不理想，部分约定内容缺少可核实的证据，需在整改中补充。",
		"约定的示范应用仅完成一处，另一处尚在调试，用户使用证明不足以说明实际效果。",
	}
	resultsNote = []string{
		"基本达到任务书要求，证据较为完整。",
		"自测数据与第三方检测结果基本一致，可以认定。",
		"部分成果仍处于样机阶段，产业化前景有待观察。",
	}
	resultsOpinions = []string{
		"项目完成了任务书规定的主要考核指标，技术路线合理，成果有一定应用前景。",
		"个别指标证据不够充分，建议补充第三方检测报告和用户使用证明。",
		"经费使用基本规范，预算调整履行了审批程序，过程管理有待加强。",
		"关键技术取得实质性突破，形成了自主可控的核心技术，培养了一支稳定的研发队伍。",
		"成果已在示范工程中应用，新增销售收入和节能效益有财务数据佐证。",
	}
	resultsWeak = "项目部分主要考核指标未能完成，成果应用尚处于起步阶段，经费使用和过程管理有待加强，建议整改后重新评价。"
	resultsVeto = "任务书约定的主要技术指标“系统响应时间”实测值未达到约定值，且无客观原因说明。"
)

// sheet is what one member writes for a project of the given quality:
// each indicator near quality plus the member's leaning, comments where
// the rubric asks for them and on some others, the opinion, now and then a
// veto on a weak project, and a finance expert's verdict.
func (s *resultsSeeder) sheet(r *rubrics.Rubric, quality float64, m *evaluation.PanelMember) evaluation.SheetContent {
	pick := func(list []string) string { return list[s.rng.IntN(len(list))] }
	c := evaluation.SheetContent{Sheet: rubrics.Sheet{Scores: map[string]rubrics.Points{}, Comments: map[string]string{}}}
	lean := s.bias[m.ExpertID] + 0.03*s.rng.NormFloat64()
	for _, in := range r.Indicators {
		share := math.Max(0, math.Min(1, quality+lean+0.05*s.rng.NormFloat64()))
		score := rubrics.Points(math.Round(share * float64(in.Max)))
		c.Scores[in.Code] = score
		switch {
		case rubrics.CommentRequired(score, in.Max) && score*2 > in.Max:
			c.Comments[in.Code] = pick(resultsHigh)
		case rubrics.CommentRequired(score, in.Max):
			c.Comments[in.Code] = pick(resultsLow)
		case s.rng.IntN(3) == 0:
			c.Comments[in.Code] = pick(resultsNote)
		}
	}
	for range 2 + s.rng.IntN(3) {
		c.Opinion += pick(resultsOpinions)
	}
	if quality < 0.6 {
		c.Opinion = resultsWeak
		if s.rng.IntN(4) == 0 && len(r.Vetoes) > 0 {
			c.Vetoes = []rubrics.VetoFlag{{Code: r.Vetoes[len(r.Vetoes)-1].Code, Evidence: resultsVeto}}
		}
	}
	if m.Seat == evaluation.SeatFinance {
		pass := quality >= 0.55 || s.rng.IntN(3) > 0
		c.FinancePass = &pass
	}
	return c
}
