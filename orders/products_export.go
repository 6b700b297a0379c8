package orders

import (
	"errors"
	"io"
	"strings"
)

// Products export columns (SPEC §2).
const (
	colHandle           = "Handle"
	colTitle            = "Title"
	colType             = "Type"
	colProductTags      = "Tags"
	colVariantSKU       = "Variant SKU"
	colVariantPrice     = "Variant Price"
	colVariantCompareAt = "Variant Compare At Price"
	colGiftCard         = "Gift Card"
)

// productBase holds the product-level fields Shopify writes only on a product's
// first row; variant rows of the same Handle inherit them.
type productBase struct {
	title, typ string
	tags       []string
	tagsSet    bool
	giftCard   bool
	giftSet    bool
}

// readProducts reads the products export into a map from lower-cased SKU to
// variant. Rows without a Variant SKU (extra image rows, or variants that cannot
// be matched to a line item) are skipped. When two rows share a SKU the first
// wins.
func readProducts(file string, src io.Reader) (map[string]*Product, error) {
	t, err := newTable(file, src)
	if err != nil {
		return nil, err
	}
	if err := t.require(colHandle, colVariantSKU); err != nil {
		return nil, err
	}
	bases := map[string]*productBase{}
	var variants []*Product
	for {
		more, err := t.next()
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
		if t.blank() {
			continue
		}
		handle := t.get(colHandle)
		if handle == "" {
			t.fail(colHandle, errors.New("missing product handle"))
			continue
		}
		base := bases[handle]
		if base == nil {
			base = &productBase{}
			bases[handle] = base
		}
		// A handle's product fields may sit on any of its rows (normally the
		// first); the first non-empty value of each wins.
		fill(&base.title, t.get(colTitle))
		fill(&base.typ, t.get(colType))
		if raw := t.get(colProductTags); raw != "" && !base.tagsSet {
			base.tags, base.tagsSet = parseTags(raw), true
		}
		if raw := t.get(colGiftCard); raw != "" {
			v, err := parseBool(raw)
			if err != nil {
				t.fail(colGiftCard, err)
			} else if !base.giftSet {
				base.giftCard, base.giftSet = v, true
			}
		}

		sku := t.get(colVariantSKU)
		price, err := parseAmount(t.get(colVariantPrice))
		if err != nil {
			t.fail(colVariantPrice, err)
		}
		compare, err := parseAmount(t.get(colVariantCompareAt))
		if err != nil {
			t.fail(colVariantCompareAt, err)
		}
		if sku == "" {
			continue
		}
		variants = append(variants, &Product{Handle: handle, SKU: sku, Price: price, CompareAtPrice: compare})
	}
	if err := t.err(); err != nil {
		return nil, err
	}
	bySKU := make(map[string]*Product, len(variants))
	for _, p := range variants {
		key := skuKey(p.SKU)
		if _, dup := bySKU[key]; dup {
			continue
		}
		b := bases[p.Handle]
		p.Title, p.Type, p.Tags, p.GiftCard = b.title, b.typ, b.tags, b.giftCard
		bySKU[key] = p
	}
	return bySKU, nil
}

// productType normalises a Type for comparison.
func productType(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
