package sqlstore

import (
	"context"
	"fmt"

	"github.com/evalpanel/evalpanel/evaluation"
)

func (q queries) Publicity(ctx context.Context, campaignID int64) (*evaluation.Publicity, error) {
	p := &evaluation.Publicity{}
	err := q.db.QueryRowContext(ctx, `SELECT campaign_id, agency_id, starts, ends, days, note, approved_by, approved_by_name,
		approved_at FROM publicity WHERE campaign_id = ?`, campaignID).Scan(&p.CampaignID, &p.AgencyID, &p.Starts, &p.Ends,
		&p.Days, &p.Note, &p.ApprovedBy, &p.ApprovedByName, timeScan{&p.ApprovedAt})
	if err != nil {
		return nil, fmt.Errorf("load the publicity of campaign %d: %w", campaignID, mapError(err, ""))
	}
	return p, nil
}

func (t *tx) CreatePublicity(ctx context.Context, p *evaluation.Publicity) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO publicity (campaign_id, agency_id, starts, ends, days, note, approved_by,
		approved_by_name, approved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.CampaignID, p.AgencyID, p.Starts, p.Ends, p.Days,
		p.Note, p.ApprovedBy, p.ApprovedByName, formatTime(p.ApprovedAt))
	if err != nil {
		return fmt.Errorf("start the publicity of campaign %d: %w", p.CampaignID, mapError(err, "campaign_id"))
	}
	return nil
}
