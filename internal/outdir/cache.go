package outdir

import (
	"fmt"
	"os"
	"path/filepath"
)

// CheckCache reports whether dir may be the build cache folder, under
// the rules of an output folder (the cache deletes what it evicts, and
// cache clean the whole folder): not the file-system root, not holding
// the home folder or the site folder, not inside the site's content/,
// templates/ or assets/; nor inside an output folder (the next build
// would replace it) or holding one (cache clean would delete it).
func CheckCache(dir, site string, outputs []string) error {
	real, err := realPath(dir)
	if err != nil {
		return fmt.Errorf("cache folder %s: %w", dir, err)
	}
	const why = "choose another --cache-dir"
	if filepath.Dir(real) == real {
		return refuse("refusing to use %s as the build cache: it is the root of the file system; %s", dir, why)
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		if h, err := realPath(home); err == nil && within(h, real) {
			return refuse("refusing to use %s as the build cache: it is or holds your home folder %s; %s", dir, home, why)
		}
	}
	if site != "" {
		s, err := realPath(site)
		if err != nil {
			return fmt.Errorf("site folder %s: %w", site, err)
		}
		if within(s, real) {
			return refuse("refusing to use %s as the build cache: it is or holds the site folder %s; %s", dir, site, why)
		}
		if src := sourceFolder(real, s); src != "" {
			return refuse("refusing to use %s as the build cache: it is inside the site's %s/ folder; %s", dir, src, why)
		}
	}
	for _, o := range outputs {
		if o == "" {
			continue
		}
		out, err := realPath(o)
		if err != nil {
			return fmt.Errorf("output folder %s: %w", o, err)
		}
		if within(real, out) || within(out, real) {
			return refuse("refusing to use %s as the build cache: it is, is inside or holds the output folder %s; %s", dir, o, why)
		}
	}
	return nil
}
