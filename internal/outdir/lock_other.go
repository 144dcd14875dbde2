//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package outdir

// lockFile does not lock where flock is missing (Windows): concurrent
// builds into one folder are then not detected, though the ownership rule
// still holds.
func lockFile(name string) (func(), error) { return func() {}, nil }
