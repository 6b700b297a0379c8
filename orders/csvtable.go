package orders

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ParseError is a problem with one value (or one row) of an export file.
type ParseError struct {
	File   string // file name as given to the loader, e.g. "orders_export.csv"
	Line   int    // 1-based line in the file where the value starts
	Column string // header name as written in the file; "" for row-level problems
	Err    error
}

func (e *ParseError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("%s line %d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s line %d: %s: %v", e.File, e.Line, e.Column, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// maxReported caps how many value errors one load reports, so a wholly broken
// file gives a readable message rather than thousands of lines.
const maxReported = 20

// table reads a CSV export whose columns are found by header name.
type table struct {
	file   string
	r      *csv.Reader
	cols   map[string]int    // lower-cased, trimmed header -> index
	names  map[string]string // lower-cased header -> header as written
	rec    []string
	errs   []error
	capped bool
}

var utf8BOM = []byte("\xEF\xBB\xBF")

func newTable(file string, src io.Reader) (*table, error) {
	br := bufio.NewReader(src)
	if head, err := br.Peek(len(utf8BOM)); err == nil && bytes.Equal(head, utf8BOM) {
		_, _ = br.Discard(len(utf8BOM))
	}
	r := csv.NewReader(br)
	r.FieldsPerRecord = -1 // exports edited in spreadsheets often lose trailing empty cells
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: empty file, want a header row", file)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: read header: %w", file, csvError(err))
	}
	t := &table{file: file, r: r, cols: map[string]int{}, names: map[string]string{}}
	for i, h := range header {
		key := strings.ToLower(strings.TrimSpace(h))
		if _, dup := t.cols[key]; key == "" || dup {
			continue // the first of duplicate columns wins
		}
		t.cols[key] = i
		t.names[key] = strings.TrimSpace(h)
	}
	return t, nil
}

// require fails when one of the named columns is missing from the header.
func (t *table) require(cols ...string) error {
	var missing []string
	for _, c := range cols {
		if !t.has(c) {
			missing = append(missing, fmt.Sprintf("%q", c))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s: missing column %s", t.file, strings.Join(missing, ", "))
	}
	return nil
}

func (t *table) has(col string) bool {
	_, ok := t.cols[strings.ToLower(col)]
	return ok
}

// next advances to the next record; it returns false at the end of the file.
// A CSV syntax error ends reading: the rest of the file cannot be trusted.
func (t *table) next() (bool, error) {
	rec, err := t.r.Read()
	if errors.Is(err, io.EOF) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("%s: %w", t.file, csvError(err))
	}
	t.rec = rec
	return true, nil
}

// blank reports whether the current record has no content at all.
func (t *table) blank() bool {
	for _, v := range t.rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// get returns the trimmed value of a column in the current record, "" when the
// column or the cell is missing.
func (t *table) get(col string) string {
	i, ok := t.cols[strings.ToLower(col)]
	if !ok || i >= len(t.rec) {
		return ""
	}
	return strings.TrimSpace(t.rec[i])
}

// line returns the line where a column's cell of the current record starts, or
// where the record starts when the column is missing.
func (t *table) line(col string) int {
	i, ok := t.cols[strings.ToLower(col)]
	if !ok || i >= len(t.rec) {
		i = 0
	}
	line, _ := t.r.FieldPos(i)
	return line
}

// fail records a problem with a column of the current record.
func (t *table) fail(col string, err error) {
	name := t.names[strings.ToLower(col)]
	if name == "" {
		name = col
	}
	t.failAt(t.line(col), name, err)
}

func (t *table) failAt(line int, col string, err error) {
	if len(t.errs) >= maxReported {
		t.capped = true
		return
	}
	t.errs = append(t.errs, &ParseError{File: t.file, Line: line, Column: col, Err: err})
}

// err joins the recorded problems, nil when there were none.
func (t *table) err() error {
	if len(t.errs) == 0 {
		return nil
	}
	errs := t.errs
	if t.capped {
		errs = append(errs[:len(errs):len(errs)], fmt.Errorf("%s: further errors not shown", t.file))
	}
	return errors.Join(errs...)
}

// csvError turns encoding/csv's error into one naming the line, without the
// package's own "record on line N" prefix duplicated by our file name.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("line %d, column %d: %w", pe.Line, pe.Column, pe.Err)
	}
	return err
}
