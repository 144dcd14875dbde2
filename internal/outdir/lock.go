package outdir

import (
	"errors"
	"fmt"
	"path/filepath"
)

// Lock takes the lock of the output folder dir, whose parent must exist:
// a file .NAME.lock beside it, held with flock so the kernel releases it
// if the process dies. A second build fails at once with ErrBusy rather
// than removing the first one's staging folder. release removes the file
// and lets the lock go.
func Lock(dir string) (release func(), err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	parent, err := realPath(filepath.Dir(abs))
	if err != nil {
		return nil, err
	}
	name := filepath.Join(parent, "."+filepath.Base(abs)+".lock")
	release, err = lockFile(name)
	if errors.Is(err, ErrBusy) {
		return nil, fmt.Errorf("another guidebook build is writing %s (it holds %s); wait for it to finish: %w", dir, name, ErrBusy)
	}
	if err != nil {
		return nil, fmt.Errorf("locking %s: %w", dir, err)
	}
	return release, nil
}
