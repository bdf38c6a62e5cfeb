package evaluation

import "context"

// rubricReader reads rubric versions.
type rubricReader interface {
	Rubric(ctx context.Context, code string, version int) (*Rubric, error)
	Rubrics(ctx context.Context, f RubricFilter) ([]*Rubric, error)
}

// rubricWriter writes rubric versions.
type rubricWriter interface {
	CreateRubric(ctx context.Context, r *Rubric) error
	UpdateRubric(ctx context.Context, r *Rubric) error
	DeleteRubric(ctx context.Context, id int64) error
}

// rubricStore is what the rubrics service reads.
type rubricStore interface {
	rubricReader
}

// rubricTx is what the rubrics service does in a transaction.
type rubricTx interface {
	rubricReader
	rubricWriter
	auditor
}
