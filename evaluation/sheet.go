package evaluation

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/evalpanel/evalpanel/rubrics"
)

// The expert's workspace (evaluation/README.md §2.6): an expert with an
// accepted seat signs the campaign's pledge, declares for each project that
// they have no conflict of interest (or declares one, which withdraws them
// from it), reads the materials, and scores the project on a sheet of the
// campaign's pinned rubric: drafts as often as they like, then a submission
// that locks the sheet until the agency reopens it.

// SheetStatus is where a score sheet (评分表) is.
type SheetStatus string

// The statuses. A sheet not started has no row; a reopened sheet stays
// reopened, through its drafts, until it is submitted again.
const (
	SheetNotStarted SheetStatus = "not_started"
	SheetDraft      SheetStatus = "draft"
	SheetSubmitted  SheetStatus = "submitted"
	SheetReopened   SheetStatus = "reopened"
)

// SheetStatuses lists the statuses in the order of the work.
var SheetStatuses = []SheetStatus{SheetNotStarted, SheetDraft, SheetSubmitted, SheetReopened}

// SheetContent is what an expert writes on a sheet: the rubric's scores,
// comments, overall opinion and veto flags, and, on a finance seat, the
// verdict on the finance track (通过 / 不通过).
type SheetContent struct {
	rubrics.Sheet
	// FinancePass is a finance expert's verdict; nil on a technical sheet
	// and on a finance draft not decided yet.
	FinancePass *bool `json:"finance_pass,omitempty"`
}

// Sheet is one expert's score sheet for one project, in one seat.
type Sheet struct {
	ID            int64       `json:"id"`
	CampaignID    int64       `json:"campaign_id"`
	AgencyID      int64       `json:"-"`
	PanelID       int64       `json:"panel_id"`
	ProjectID     int64       `json:"project_id"`
	ExpertID      int64       `json:"expert_id"`
	Seat          Seat        `json:"seat"`
	RubricCode    string      `json:"rubric_code"`
	RubricVersion int         `json:"rubric_version"`
	Status        SheetStatus `json:"status"`
	// Version counts the saves: a save must name the version it was based
	// on, so that two tabs or devices cannot overwrite each other.
	Version int `json:"version"`
	// Round counts the submissions asked for: 1, and one more after each
	// reopening.
	Round        int          `json:"round"`
	Content      SheetContent `json:"content"`
	ReopenReason string       `json:"reopen_reason,omitempty"`
	CreatedAt    time.Time    `json:"created_at"`
	UpdatedAt    time.Time    `json:"updated_at"`
	SubmittedAt  time.Time    `json:"submitted_at,omitzero"`
}

// Editable reports whether the expert may still change the sheet.
func (s *Sheet) Editable() bool { return s.Status != SheetSubmitted }

// SheetVersion is a sheet as it was submitted in one round; every one is
// kept, so a result can be recomputed and an appeal checked.
type SheetVersion struct {
	SheetID     int64          `json:"sheet_id"`
	Round       int            `json:"round"`
	Version     int            `json:"version"`
	Content     SheetContent   `json:"content"`
	Total       rubrics.Points `json:"total"`
	SubmittedBy int64          `json:"submitted_by"`
	SubmittedAt time.Time      `json:"submitted_at"`
}

// Pledge is the pledge (承诺书) an expert signed for a campaign.
type Pledge struct {
	CampaignID int64     `json:"campaign_id"`
	ExpertID   int64     `json:"expert_id"`
	Version    string    `json:"version"`
	SignedAt   time.Time `json:"signed_at"`
}

// PledgeText is the pledge an expert signs once per campaign before any
// material is shown, paragraph by paragraph, in the language ("en", or
// Chinese for anything else).
func PledgeText(lang Language) []string {
	if lang == LangEN {
		return pledgeEN
	}
	return pledgeZH
}

var pledgeZH = []string{
	"本人自愿承担本批次科技项目综合绩效评价的评审工作，并郑重承诺：",
	"一、保密。对评价材料、评审过程、评分和专家组意见严格保密，不复制、不外传、不用于评审以外的任何目的，评审结束后不保留评价材料。",
	"二、独立。独立、客观、公正地作出判断，不受任何单位或个人的影响；不接受被评价单位或其关系人的馈赠、宴请或其他利益；不与被评价项目的人员私下联系。",
	"三、回避。与被评价项目存在利益冲突（同一单位、项目组成员、近三年合作关系或其他可能影响公正的关系）时，主动声明并回避；评审期间发现的利益冲突，立即声明。",
	"四、诚信。认真审阅全部材料，按照评价指标体系如实评分、据实撰写意见，不抄袭、不敷衍，对评审意见负责。",
	"本人知悉：违反上述承诺的，将被记入专家信用记录，并按有关规定处理。",
}

var pledgeEN = []string{
	"I agree to serve as a reviewer in this comprehensive performance evaluation of science and technology projects, and I solemnly pledge:",
	"1. Confidentiality. I will keep the materials, the review, the scores and the panel's opinion strictly confidential; I will not copy them, pass them on or use them for anything but this review, and I will keep no materials after it.",
	"2. Independence. I will judge independently, objectively and fairly, free from the influence of any organisation or person; I will accept no gift, meal or other benefit from the organisations evaluated or anyone connected with them, and I will not contact a project's staff privately.",
	"3. Conflicts of interest. Where I have a conflict of interest with a project (the same institution, membership of its team, a collaboration within the last three years, or any other tie that could affect my fairness), I will declare it and withdraw; a conflict I discover during the review I will declare at once.",
	"4. Integrity. I will read all the materials, score truthfully against the rubric, base my opinion on the facts, and stand by it.",
	"I understand that a breach of this pledge will be entered in my record as an expert and dealt with under the applicable rules.",
}

// PledgeVersion identifies the pledge text in both languages: a signature
// records which text was signed.
var PledgeVersion = func() string {
	h := sha256.New()
	for _, p := range [][]string{pledgeZH, pledgeEN} {
		h.Write([]byte(strings.Join(p, "\n")))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}()

// ScoringDue is the last day (inclusive, in Beijing) a member may save and
// submit sheets: their own extended deadline, else the campaign's; "" when
// neither is set.
func ScoringDue(c *Campaign, m *PanelMember) string {
	if m != nil && m.Due != "" {
		return m.Due
	}
	return c.Settings.ScoringDue
}

// PastDue reports whether the day due (YYYY-MM-DD, inclusive, Beijing) is
// over at now; an empty or unreadable date is never past.
func PastDue(due string, now time.Time) bool {
	d, err := time.ParseInLocation(time.DateOnly, due, Beijing)
	return err == nil && !now.Before(d.AddDate(0, 0, 1))
}

// MaxReasonText is the longest reason an expert or the agency gives in the
// workspace: a declared conflict, a reopening, an extension.
const MaxReasonText = 2000

// checkReason trims a required reason given alone, in the field "reason",
// and checks it.
func checkReason(reason string) (string, error) { return checkText("reason", reason) }

// checkText trims a required text given alone (a reason, a comment, an
// answer), in the field named, and checks it as a reason.
func checkText(field, text string) (string, error) {
	text = strings.TrimSpace(text)
	f := FieldErrors{}
	reasonProblem(f, field, text)
	return text, f.Err()
}

// reasonProblem checks a required reason.
func reasonProblem(f FieldErrors, field, reason string) {
	switch {
	case strings.TrimSpace(reason) == "":
		f.Add(field, "error.reason_required")
	case utf8.RuneCountInString(reason) > MaxReasonText:
		f.Add(field, "error.too_long")
	}
}
