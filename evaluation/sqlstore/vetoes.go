package sqlstore

import (
	"context"
	"fmt"

	"github.com/evalpanel/evalpanel/evaluation"
)

const vetoColumns = `project_id, campaign_id, agency_id, track, code, reason, confirmed_by, confirmed_by_name, confirmed_at`

func scanVeto(row scanner) (*evaluation.VetoConfirmation, error) {
	v := &evaluation.VetoConfirmation{}
	err := row.Scan(&v.ProjectID, &v.CampaignID, &v.AgencyID, &v.Track, &v.Code, &v.Reason, &v.ConfirmedBy,
		&v.ConfirmedByName, timeScan{&v.ConfirmedAt})
	return v, err
}

func (q queries) VetoConfirmations(ctx context.Context, projectID int64) ([]*evaluation.VetoConfirmation, error) {
	list, err := queryList(ctx, q.db, "list veto confirmations", scanVeto,
		`SELECT `+vetoColumns+` FROM veto_confirmations WHERE project_id = ? ORDER BY confirmed_at, track, code`, projectID)
	return orEmpty(list), err
}

func (q queries) CampaignVetoConfirmations(ctx context.Context, campaignID int64) ([]*evaluation.VetoConfirmation, error) {
	list, err := queryList(ctx, q.db, "list the campaign's veto confirmations", scanVeto,
		`SELECT `+vetoColumns+` FROM veto_confirmations WHERE campaign_id = ? ORDER BY project_id, confirmed_at, track, code`,
		campaignID)
	return orEmpty(list), err
}

func (t *tx) AddVetoConfirmation(ctx context.Context, v *evaluation.VetoConfirmation) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO veto_confirmations (`+vetoColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		v.ProjectID, v.CampaignID, v.AgencyID, v.Track, v.Code, v.Reason, v.ConfirmedBy, v.ConfirmedByName,
		formatTime(v.ConfirmedAt))
	if err != nil {
		return fmt.Errorf("record the confirmation of veto %s %s on project %d: %w", v.Track, v.Code, v.ProjectID,
			mapError(err, "code"))
	}
	return nil
}
