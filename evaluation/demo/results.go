package demo

import (
	"fmt"
	"slices"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rubrics"
)

// resultPlan is how a project of the concluding campaign, or of a past
// one, is scored and what becomes of its result.
type resultPlan struct {
	// quality is the panel's view of the project, as a share of each
	// indicator's maximum before each member's leaning; shares, when set,
	// are the technical members' own views instead, chair first (a panel
	// that disagrees).
	quality float64
	shares  []float64
	// flag is a veto item the technical members in the seats listed flag
	// (chair first), with their own view of the project and opinion.
	flag        *rubrics.VetoFlag
	flaggers    []int
	flagShare   float64
	flagOpinion string
	// finance is the finance expert's sheet when it is not a routine pass.
	finance func(r *rubrics.Rubric) evaluation.SheetContent
	// discuss sends the technical sheets back for the panel's discussion
	// (discussionNote); the members in revisions revise theirs, by seat.
	discuss   bool
	revisions map[int]revision
	// late are the technical seats whose members submit after the
	// campaign's deadline, on an extension (past campaigns only).
	late []int
	// opinion is the chair's draft of the panel's opinion and what it
	// proposes; "" when the chair has not written one. The chair sends it
	// to the members, and the first answers of them answer (all when 0):
	// the flaggers dissent with flagDissent when it is set, the other
	// technical members confirm with confirmNote.
	opinion     string
	proposed    evaluation.Conclusion
	answers     int
	flagDissent string
	confirmNote string
	// conclude records the conclusion the opinion proposes, or
	// concludeAs for concludeReason; rectify then grants the failed
	// project its rectification, for this reason.
	conclude       bool
	concludeAs     evaluation.Conclusion
	concludeReason string
	rectify        string
}

// resultPlans are the concluding campaign's projects by code, each
// showing a step of the conclusion (DESIGN §2 step 7):
//
//   - 22JC1401100 passed, as the panel's opinion proposed; the opinion was
//     locked with a dissent from a member who alone flagged a veto item
//     (flagged, not held);
//   - 22JC1401200 is divergent: its technical sheets went back to the
//     panel for discussion, two members have revised theirs, the others
//     not yet;
//   - 22ZR1401300 has its opinion circulating, two members have answered;
//   - 22DZ2201400 has a veto held: three of its five technical sheets flag
//     the same item; its opinion proposes a fail, and it failed;
//   - 22DZ2201500 failed its finance review: it failed, and was granted its
//     rectification (整改);
//   - 22DZ2201600 has its opinion locked, proposing a pass, and waits for
//     the agency's conclusion.
var resultPlans = map[string]resultPlan{
	"22JC1401100": {
		quality: 0.86,
		flag: &rubrics.VetoFlag{Code: "V5", Evidence: "主要考核指标“建立免疫治疗肝癌患者前瞻性队列”约定 200 例，" +
			"实际入组 186 例（完成 93%），未完成任务书约定。"},
		flaggers:  []int{4},
		flagShare: 0.80,
		flagOpinion: "项目在肝癌免疫治疗耐药机制研究方面取得有原创性的进展，机制验证较充分；" +
			"但主要考核指标“前瞻性队列”未完成，本人认为应按主要考核指标未完成处理。",
		opinion: "专家组审阅了项目自评价报告、科技报告、代表性成果原文和财务决算报告，听取了项目负责人汇报，经评议形成意见如下：\n" +
			"一、项目发现 SETD2 失活导致 H3K36me3 缺失、抑制抗原呈递相关基因转录从而介导 PD-1 抗体耐药的新机制，" +
			"并在类器官和人源化小鼠模型中验证，具有明显的原创性和科学价值；发现并验证了 2 个可逆转耐药的干预靶点。\n" +
			"二、主要考核指标“建立免疫治疗肝癌患者前瞻性队列”约定 200 例，实际入组 186 例，完成 93%，" +
			"差距系部分患者治疗方案调整所致，原因已如实说明；其余考核指标均已完成。\n" +
			"三、经费使用总体规范，预算执行率 96.7%。\n" +
			"专家组建议：通过。请项目组继续完成队列随访，并补充报送随访数据。",
		proposed: evaluation.ConclusionPass,
		flagDissent: "不同意“通过”的建议：主要考核指标“建立免疫治疗肝癌患者前瞻性队列”约定 200 例，实际入组 186 例，" +
			"未完成任务书约定，本人已在评分表中勾选否决项 V5；意见对该指标的差距仅作一般性表述，不够准确。",
		conclude: true,
	},
	"22JC1401200": {
		shares:    []float64{0.86, 0.93, 0.80, 0.74, 0.62},
		discuss:   true,
		revisions: revisedOpinions,
	},
	"22ZR1401300": {
		quality: 0.78,
		opinion: "专家组经评议认为：项目结合原位透射电镜与相场模拟，揭示了氧化物固态电解质晶界电子泄漏诱发锂枝晶的机理；" +
			"研制的固态电解质室温离子电导率达 1.3 mS/cm，锂对称电池临界电流密度达 1.8 mA/cm²，主要考核指标全部完成。" +
			"全电池 0.5C 循环寿命 420 次，低于约定的 500 次，第三方测试仍在进行。经费使用规范，财务评价通过。\n" +
			"专家组建议：通过。",
		proposed:    evaluation.ConclusionPass,
		answers:     2,
		confirmNote: "同意。建议在意见中注明全电池循环寿命第三方测试的预计完成时间。",
	},
	"22DZ2201400": {
		quality: 0.70,
		flag: &rubrics.VetoFlag{Code: "V2", Evidence: "任务书约定自主设计并流片 1200V/40mΩ SiC MOSFET 芯片用于功率模块；" +
			"中期检查后改为外购进口芯片封装（芯片采购合同签订于 2023 年 9 月），未见项目管理机构对技术路线调整的批复。"},
		flaggers:  []int{1, 2, 4},
		flagShare: 0.64,
		flagOpinion: "项目功率模块性能和产业化指标完成较好，但未经批准将自研芯片路线调整为外购进口芯片，" +
			"核心芯片自主可控的目标未实现，属擅自调整技术路线，建议不予通过。",
		opinion: "专家组审阅了项目材料和第三方测试报告，经评议形成意见如下：\n" +
			"一、项目研制的 1200V 碳化硅功率模块功率循环寿命、杂散电感等性能指标达到任务书要求，模块已批量装车，产业化成效明显。\n" +
			"二、主要考核指标“自主设计并流片 1200V SiC MOSFET 芯片并用于项目功率模块”未完成：项目中期后改为外购进口芯片封装，" +
			"技术路线调整未按规定报项目管理机构批准。五位技术专家中三位认定构成“未经批准擅自调整技术路线”的否决情形。\n" +
			"专家组建议：未通过。",
		proposed:    evaluation.ConclusionFail,
		confirmNote: "同意专家组意见。本人评分时认为技术路线调整情有可原，但尊重多数专家对否决项的认定。",
		conclude:    true,
	},
	"22DZ2201500": {
		quality: 0.82,
		finance: func(r *rubrics.Rubric) evaluation.SheetContent {
			fail := false
			return evaluation.SheetContent{FinancePass: &fail, Sheet: rubrics.Sheet{
				Scores: map[string]rubrics.Points{"F1": rubrics.Pts(15), "F2": rubrics.Pts(16),
					"F3": rubrics.Pts(12), "F4": rubrics.Pts(13)},
				Comments: map[string]string{
					"F3": "设备费预算调剂 126 万元（用于购置涂布设备）未按规定报项目管理机构审批；项目未单独设立辅助账，部分支出与其他项目混合核算。",
					"F4": "外协测试费 186 万元中 92 万元无合同及验收记录；劳务费中列支 4 名非项目人员 23.6 万元，依据不足。",
				},
				Opinion: "项目经费拨付到位，预算执行率 96.5%；但存在设备费调剂未履行审批程序、部分外协费用缺少合同和验收记录、" +
					"劳务费列支依据不足等问题，涉及金额约 241.6 万元，不符合市级科技计划项目专项经费管理规定。财务评价不通过，" +
					"建议限期整改：补齐合同与验收资料，对依据不足的支出予以调账或退回。",
			}}
		},
		opinion: "专家组经评议认为：项目膜电极功率密度、耐久性和铂载量等技术指标全部达到任务书要求，建成年产 20 万片的自动化产线，" +
			"并在 120 辆燃料电池汽车上示范运营，技术评价良好。但财务评价不通过：设备费预算调剂未履行审批程序，" +
			"部分外协费用缺少合同和验收记录，劳务费列支依据不足。财务评价未通过的项目不能通过综合绩效评价。\n" +
			"专家组建议：未通过。建议给予整改机会，整改完成后重新评价。",
		proposed: evaluation.ConclusionFail,
		conclude: true,
		rectify: "项目技术指标全部完成，财务问题可通过补齐合同、验收资料和调账整改；同意给予一次整改机会，" +
			"整改完成后由原专家组重新评价。",
	},
	"22DZ2201600": {
		quality: 0.88,
		opinion: "专家组经评议认为：项目研制的肺结节智能辅助诊断系统在多中心外部验证中良恶性鉴别 AUC 达 0.93，" +
			"4 mm 及以上结节检出敏感度 96.4%，已取得第三类医疗器械注册证，在 26 家医院临床应用，主要考核指标全部完成；" +
			"累计销售收入 2480 万元，低于约定的 3000 万元，差距主要受医院采购周期影响。经费使用规范，财务评价通过。\n" +
			"专家组建议：通过。",
		proposed: evaluation.ConclusionPass,
	},
}

// discussionNote is what the agency's staff ask of the divergent
// project's panel.
const discussionNote = "专家组技术评分极差超过 20 分，请结合代表性成果原文和湿实验验证数据，复核“新发现、新原理、新方法的原创性”" +
	"和“科学价值”两项评分，并在总体意见中说明理由；维持原评分的，请直接提交。"

// revision is what a member who revises their sheet in a discussion
// writes, with their new view (the same view keeps their scores).
type revision struct {
	share   float64
	opinion string
}

// revisedOpinions are what the members of 22JC1401200's panel who have
// revised their sheets in the discussion write, by seat (chair first).
var revisedOpinions = map[int]revision{
	1: {0.87, "经专家组讨论复核，设计蛋白的湿实验成功率仍有提升空间，3 个催化活性酶中 1 个未达检测限，下调“科学价值”评分。"},
	4: {0.73, "经专家组讨论，补充审阅了设计酶的晶体结构与酶活测定数据，认可设计方法的原创性，上调“原创性”和“科学价值”评分；" +
		"催化活性酶数量未达约定，请项目组在总结中说明。"},
}

// spareShowcase keeps the showcase experts (see showcase) off the panels
// the match proposed for the concluding campaign, so that their workspaces
// show what their notes say: the agency's staff put the first expert the
// checks allow in their seat, before inviting the panel.
func (s *seeder) spareShowcase(staff evaluation.Actor, panels []*evaluation.Panel) error {
	shown := map[int64]bool{}
	for _, l := range showcase {
		shown[s.expertIDs[l.Name]] = true
	}
	var pool []int64
	for _, e := range experts {
		if id := s.expertIDs[e.Name]; !shown[id] {
			pool = append(pool, id)
		}
	}
	for _, p := range panels {
		for _, m := range p.Members {
			if !shown[m.ExpertID] || m.Status != evaluation.MemberProposed {
				continue
			}
			checks, err := s.svc.Panels.CheckCandidates(s.ctx, staff, p.ID, evaluation.SeatTarget{MemberID: m.ID}, pool)
			if err != nil {
				return err
			}
			i := slices.IndexFunc(checks, func(c evaluation.CandidateCheck) bool { return c.Allowed && !c.NeedsReason })
			if i < 0 {
				return fmt.Errorf("nobody can take the seat of expert %d on panel %s", m.ExpertID, p.Name)
			}
			if _, err := s.svc.Panels.ReplaceMember(s.ctx, staff, p.ID, m.ID, checks[i].ExpertID, ""); err != nil {
				return fmt.Errorf("replace expert %d on panel %s: %w", m.ExpertID, p.Name, err)
			}
		}
	}
	return nil
}

// run is one campaign's conclusion as the demo plays it: its agency's
// staff, the plans of its projects by code, and when each step happened
// (nil for a campaign of the present, played at the clock's time).
type run struct {
	staff evaluation.Actor
	c     *evaluation.Campaign
	plans map[string]resultPlan
	tl    *timeline
	// pledged are the experts who have signed the campaign's pledge.
	pledged map[int64]bool
}

// seated is a project of a run on its panel: technical are the technical
// members, chair first; members every accepted member, in the panel's
// order.
type seated struct {
	project            *evaluation.Project
	plan               resultPlan
	panel              *evaluation.Panel
	technical, members []*evaluation.PanelMember
}

// results has the campaign's experts submit every sheet, moves the
// campaign to concluding, and plays the conclusion of each project as its
// plan says: a discussion first where the plan asks for one, then the
// panels' opinions, their answers and the conclusions, each step for
// every project in turn (on its day, for a past campaign).
func (s *seeder) results(r *run) error {
	order, err := s.seat(r)
	if err != nil {
		return err
	}
	if err := s.sheets(r, order); err != nil {
		return err
	}
	s.step(r.tl, dayConcluding, 9)
	if _, err := s.svc.Campaigns.TransitionCampaign(s.ctx, r.staff, r.c.ID, evaluation.CampaignConcluding, ""); err != nil {
		return fmt.Errorf("move campaign %q to concluding: %w", r.c.Name, err)
	}
	for _, st := range order {
		if st.plan.discuss {
			if err := s.discuss(r, st); err != nil {
				return err
			}
		}
	}
	phases := []struct {
		day, hour int
		do        func(r *run, st seated) error
	}{{dayOpinions, 10, s.draftOpinion}, {dayAnswers, 9, s.answerOpinion}, {dayConclusions, 15, s.conclude}}
	for _, ph := range phases {
		s.step(r.tl, ph.day, ph.hour)
		for _, st := range order {
			if st.plan.opinion == "" {
				continue
			}
			if err := ph.do(r, st); err != nil {
				return err
			}
		}
	}
	return nil
}

// seat loads the run's panels and pairs each project with its plan.
func (s *seeder) seat(r *run) ([]seated, error) {
	panels, err := s.svc.Panels.Panels(s.ctx, r.staff, r.c.ID)
	if err != nil {
		return nil, err
	}
	projects, _, err := s.svc.Campaigns.Projects(s.ctx, r.staff, evaluation.ProjectFilter{CampaignID: r.c.ID,
		Page: evaluation.Page{Size: len(r.plans)}})
	if err != nil {
		return nil, err
	}
	byID := map[int64]*evaluation.Project{}
	for _, p := range projects {
		byID[p.ID] = p
	}
	var order []seated
	for _, panel := range panels {
		for _, id := range panel.ProjectIDs {
			p := byID[id]
			plan, ok := r.plans[p.Code]
			if !ok {
				return nil, fmt.Errorf("no result plan for %s", p.Code)
			}
			st := seated{project: p, plan: plan, panel: panel, technical: panel.Seated(evaluation.SeatTechnical)}
			for _, m := range panel.Members {
				if m.Status == evaluation.MemberAccepted {
					st.members = append(st.members, m)
				}
			}
			order = append(order, st)
		}
	}
	return order, nil
}

// sheetJob is one member's sheet to submit, and when: on a day of the
// scoring period that the demo's fixed randomness picks, or after the
// deadline for a member the plan has submit late.
type sheetJob struct {
	st        seated
	m         *evaluation.PanelMember
	content   func(r *rubrics.Rubric) evaluation.SheetContent
	day, hour int
	late      bool
}

// sheets has every member of the run's panels submit their sheet; in a
// past campaign each on its day, and the late ones after the agency has
// extended their deadline.
func (s *seeder) sheets(r *run, order []seated) error {
	var jobs []sheetJob
	for _, st := range order {
		for i, m := range st.technical {
			jobs = append(jobs, sheetJob{st: st, m: m, late: r.tl != nil && slices.Contains(st.plan.late, i),
				content: func(rb *rubrics.Rubric) evaluation.SheetContent {
					return st.plan.technicalSheet(rb, st.project, m.ExpertID, i)
				}})
		}
		for _, m := range st.panel.Seated(evaluation.SeatFinance) {
			jobs = append(jobs, sheetJob{st: st, m: m, content: func(rb *rubrics.Rubric) evaluation.SheetContent {
				return st.plan.financeSheet(rb, st.project, m.ExpertID)
			}})
		}
	}
	if r.tl != nil {
		for i := range jobs {
			j := &jobs[i]
			draw := func(n int64) float64 { return unit(j.st.project.ID, j.m.ExpertID, n) }
			j.day, j.hour = dayScoring+1+int(draw(11)*float64(dayDue-dayScoring-1)), 8+int(draw(12)*14)
			if j.late {
				j.day = dayDue + 2 + int(draw(13)*2)
			}
		}
		slices.SortStableFunc(jobs, func(a, b sheetJob) int { return (a.day*24 + a.hour) - (b.day*24 + b.hour) })
	}
	extended := false
	for _, j := range jobs {
		if j.late && !extended {
			// The agency extends the late members' deadline the day after
			// the campaign's.
			s.step(r.tl, dayDue+1, 10)
			for _, k := range jobs {
				if k.late {
					due := s.day(r.tl.start + dayDue + 5)
					if err := s.svc.Sheets.ExtendDeadline(s.ctx, r.staff, k.st.panel.ID, k.m.ID, due, lateReason); err != nil {
						return fmt.Errorf("extend the deadline of %s: %w", k.m.Expert.Name, err)
					}
				}
			}
			extended = true
		}
		s.step(r.tl, j.day, j.hour)
		if err := s.submit(r, j.m, j.st.project.ID, j.content); err != nil {
			return err
		}
	}
	return nil
}

// lateReason is why the agency extends a member's deadline after it has
// passed.
const lateReason = "专家因承担紧急任务未能按期提交评分表，本人书面申请延期，经中心同意延长至本周内。"

// draftOpinion has the chair draft the panel's opinion on a project and
// send it to the members.
func (s *seeder) draftOpinion(r *run, st seated) error {
	chair := s.experts[st.technical[0].ExpertID]
	o, err := s.svc.Results.SaveOpinion(s.ctx, chair, st.project.ID, 0,
		evaluation.OpinionInput{Text: st.plan.opinion, Proposed: st.plan.proposed})
	if err != nil {
		return fmt.Errorf("the chair drafts the opinion on %s: %w", st.project.Code, err)
	}
	_, err = s.svc.Results.CirculateOpinion(s.ctx, chair, st.project.ID, o.Version)
	return err
}

// answerOpinion has the members answer the opinion on a project, the
// first answers of them (all when 0): the flaggers dissent with
// flagDissent when it is set, the other technical members confirm with
// confirmNote.
func (s *seeder) answerOpinion(r *run, st seated) error {
	plan, p, chair := st.plan, st.project, st.technical[0]
	flagged := func(m *evaluation.PanelMember) bool {
		return slices.ContainsFunc(plan.flaggers, func(i int) bool { return st.technical[i].ExpertID == m.ExpertID })
	}
	answered := 0
	for _, m := range st.members {
		if m.ExpertID == chair.ExpertID {
			continue
		}
		if plan.answers > 0 && answered == plan.answers {
			break // the others have not answered yet
		}
		agree, reason := true, ""
		switch {
		case plan.flagDissent != "" && flagged(m):
			agree, reason = false, plan.flagDissent
		case m.Seat == evaluation.SeatTechnical && !flagged(m):
			reason = plan.confirmNote
		}
		if _, err := s.svc.Results.RespondOpinion(s.ctx, s.experts[m.ExpertID], p.ID, agree, reason); err != nil {
			return fmt.Errorf("%s answers the opinion on %s: %w", m.Expert.Name, p.Code, err)
		}
		answered++
	}
	return nil
}

// conclude has the agency's staff record the conclusion the plan says
// (the opinion's proposal unless the plan records another, with its
// reason) and grant a rectification.
func (s *seeder) conclude(r *run, st seated) error {
	plan, p := st.plan, st.project
	if !plan.conclude {
		return nil
	}
	c, reason := plan.proposed, ""
	if plan.concludeAs != "" {
		c, reason = plan.concludeAs, plan.concludeReason
	}
	if _, err := s.svc.Results.RecordConclusion(s.ctx, r.staff, p.ID, c, reason); err != nil {
		return fmt.Errorf("conclude %s: %w", p.Code, err)
	}
	if plan.rectify == "" {
		return nil
	}
	if _, err := s.svc.Results.StartRectification(s.ctx, r.staff, p.ID, "", plan.rectify); err != nil {
		return fmt.Errorf("rectification of %s: %w", p.Code, err)
	}
	return nil
}

// discuss sends a divergent project's technical sheets back to its panel
// and has the members of the plan's revisions revise theirs.
func (s *seeder) discuss(r *run, st seated) error {
	p := st.project
	s.step(r.tl, dayConcluding, 11)
	if _, err := s.svc.Results.OpenRevision(s.ctx, r.staff, p.ID, evaluation.RevisionDiscussion, discussionNote, ""); err != nil {
		return fmt.Errorf("discussion of %s: %w", p.Code, err)
	}
	for i, m := range st.technical {
		rev, ok := st.plan.revisions[i]
		if !ok {
			continue
		}
		s.step(r.tl, dayConcluding+1+i/3, 9+2*i)
		expert := s.experts[m.ExpertID]
		view, err := s.svc.Sheets.Sheet(s.ctx, expert, p.ID)
		if err != nil {
			return err
		}
		content := scoredSheet(view.Rubric.Content, rev.share, 0, p.ID, m.ExpertID, true)
		content.Opinion = rev.opinion
		if _, err := s.svc.Sheets.SaveSheet(s.ctx, expert, p.ID, view.Sheet.Version, content, true); err != nil {
			return fmt.Errorf("%s revises the sheet of %s: %w", m.Expert.Name, p.Code, err)
		}
	}
	return nil
}

// submit has a member take their seat and submit the sheet content makes
// of the rubric.
func (s *seeder) submit(r *run, m *evaluation.PanelMember, projectID int64,
	content func(r *rubrics.Rubric) evaluation.SheetContent) error {
	expert, view, err := s.takeSeat(r.c, r.pledged, m, projectID)
	if err != nil {
		return err
	}
	if _, err := s.svc.Sheets.SaveSheet(s.ctx, expert, projectID, view.Sheet.Version, content(view.Rubric.Content), true); err != nil {
		return fmt.Errorf("%s scores project %d: %w", m.Expert.Name, projectID, err)
	}
	return nil
}

// technicalSheet is the sheet of the technical member in seat i (chair
// first).
func (pl resultPlan) technicalSheet(r *rubrics.Rubric, p *evaluation.Project, expertID int64, i int) evaluation.SheetContent {
	flags := pl.flag != nil && slices.Contains(pl.flaggers, i)
	var c evaluation.SheetContent
	switch {
	case pl.shares != nil:
		c = scoredSheet(r, pl.shares[i], 0, p.ID, expertID, true)
	case flags:
		c = scoredSheet(r, pl.flagShare, leaning(expertID), p.ID, expertID, true)
	default:
		c = scoredSheet(r, pl.quality, leaning(expertID), p.ID, expertID, true)
	}
	if flags {
		c.Vetoes = []rubrics.VetoFlag{*pl.flag}
		c.Opinion = pl.flagOpinion
	}
	return c
}

// financeSheet is the finance expert's sheet: the plan's, or a routine
// pass that reads the project's budget execution.
func (pl resultPlan) financeSheet(r *rubrics.Rubric, p *evaluation.Project, expertID int64) evaluation.SheetContent {
	if pl.finance != nil {
		return pl.finance(r)
	}
	c := scoredSheet(r, 0.86, leaning(expertID), p.ID, expertID, true)
	pass := true
	c.FinancePass = &pass
	c.Opinion = fmt.Sprintf("项目经费拨付及时，自筹经费全部到位；预算执行率 %.1f%%，预算调剂履行了审批程序；"+
		"会计核算规范，设立了项目辅助账，未发现违规开支。财务评价通过。", float64(p.Spent)*100/float64(p.Budget))
	return c
}
