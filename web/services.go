package web

import (
	"context"
	"errors"

	"github.com/evalpanel/evalpanel/evaluation"
)

// Services are what the web layer needs from the domain: one narrow
// interface per area of the product, each declared beside its handlers
// (accountServices in app.go, campaignServices in api_campaigns.go, …).
// cmd/evalpanel fills them with the evaluation package's area services.
type Services struct {
	Accounts  accountServices
	Rubrics   rubricServices
	Pool      poolServices
	Campaigns campaignServices
	Panels    panelServices
	Materials materialServices
	Sheets    sheetServices
	Results   resultServices
	Revisions revisionServices
	Review    reviewServices
	Publicity publicityServices
	// Records reads the expert records.
	Records recordServices
	// Notifications reads the outbox.
	Notifications notificationServices
	// Ready reports whether the store answers, for /readyz.
	Ready func(ctx context.Context) error
}

func (s Services) check() error {
	if s.Accounts == nil || s.Rubrics == nil || s.Pool == nil || s.Campaigns == nil || s.Panels == nil ||
		s.Materials == nil || s.Sheets == nil || s.Results == nil || s.Revisions == nil || s.Review == nil || s.Publicity == nil || s.Records == nil || s.Notifications == nil || s.Ready == nil {
		return errors.New("web: every area service and Ready are required")
	}
	return nil
}

// The evaluation package's area services are what cmd/evalpanel wires in.
var (
	_ accountServices   = (*evaluation.AccountService)(nil)
	_ rubricServices    = (*evaluation.RubricService)(nil)
	_ poolServices      = (*evaluation.PoolService)(nil)
	_ campaignServices  = (*evaluation.CampaignService)(nil)
	_ panelServices     = (*evaluation.PanelService)(nil)
	_ materialServices  = (*evaluation.MaterialService)(nil)
	_ sheetServices     = (*evaluation.SheetService)(nil)
	_ resultServices    = (*evaluation.ResultService)(nil)
	_ revisionServices  = (*evaluation.ResultService)(nil)
	_ reviewServices    = (*evaluation.ReviewService)(nil)
	_ publicityServices = (*evaluation.ReviewService)(nil)
	_ recordServices    = (*evaluation.ExpertRecordService)(nil)

	_ notificationServices = (*evaluation.NotificationService)(nil)
)

// ServicesOf takes the evaluation package's area services; ready reports
// whether the store answers.
func ServicesOf(s *evaluation.Services, ready func(ctx context.Context) error) Services {
	return Services{Accounts: s.Accounts, Rubrics: s.Rubrics, Pool: s.Pool, Campaigns: s.Campaigns, Panels: s.Panels,
		Materials: s.Materials, Sheets: s.Sheets, Results: s.Results, Revisions: s.Results, Review: s.Review, Publicity: s.Review, Records: s.Records, Notifications: s.Notifications, Ready: ready}
}
