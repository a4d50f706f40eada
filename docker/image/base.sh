#!/usr/bin/env bash
# docker/image/base.sh — make the base image of docker/image/Dockerfile without a registry:
# Debian 12 (bookworm) from Debian's package mirror by debootstrap, plus this machine's Go.
#
#   bash docker/image/base.sh        # as root; prints the image name on its last line
#
# The result stands in for the official golang:1.26.8-bookworm image (which needs a registry):
# the same Debian release, Go in /usr/local/go, GOPATH=/go (writable by every user),
# GOTOOLCHAIN=local, and the C compiler and git that image has. docker/image/test.sh passes it to
# `podman build --build-arg BASE=…`.
#
# Cached in $GDLESSON_IMAGE_CACHE (default /var/cache/gdlesson-image): the root file system as a
# tarball, keyed by the Go version, the mirror, the packages and a recipe number. A second run
# reuses the podman image (the same image id, so podman's layer cache of the Dockerfile stays
# valid), or imports the tarball when the image was removed; only a missing tarball runs
# debootstrap again.
#
# Environment (all optional):
#   GDLESSON_IMAGE_CACHE   the cache folder (default /var/cache/gdlesson-image)
#   GDLESSON_GOROOT        the Go to copy in (default /usr/local/go)
#   GDLESSON_DEBIAN_MIRROR Debian's mirror (default: the first URIs of /etc/apt/sources.list.d/
#                          debian.sources, else http://deb.debian.org/debian)
set -euo pipefail

log() { printf 'image-base: %s\n' "$*" >&2; }
die() { printf 'image-base: error: %s\n' "$*" >&2; exit 1; }

[[ $EUID -eq 0 ]] || die "must run as root (debootstrap and rootful podman): sudo bash $0"
# command:Debian package (newuidmap: podman's user-namespace helper, which Debian's podman recommends)
for need in debootstrap:debootstrap podman:podman runc:runc newuidmap:uidmap tar:tar sha256sum:coreutils; do
	command -v "${need%%:*}" >/dev/null || die "${need%%:*} not found: apt-get install --no-install-recommends ${need#*:}
  (everything the image needs from Debian 12: apt-get install --no-install-recommends podman runc debootstrap uidmap)"
done

cache=${GDLESSON_IMAGE_CACHE:-/var/cache/gdlesson-image}
goroot=${GDLESSON_GOROOT:-/usr/local/go}
[[ -x $goroot/bin/go ]] || die "no Go in $goroot (set GDLESSON_GOROOT to an official Go release)"
gover=$("$goroot/bin/go" env GOVERSION) || die "$goroot/bin/go does not run"
[[ $gover =~ ^go1\.[0-9]+(\.[0-9]+)?$ ]] || die "$goroot holds $gover, not a Go release"

mirror=${GDLESSON_DEBIAN_MIRROR:-}
if [[ -z $mirror && -r /etc/apt/sources.list.d/debian.sources ]]; then
	mirror=$(awk '$1 == "URIs:" && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
fi
mirror=${mirror:-http://deb.debian.org/debian}
[[ $mirror =~ ^https?:// ]] || die "GDLESSON_DEBIAN_MIRROR must be an http(s) address, not '$mirror'"
security=${mirror%/debian}/debian-security

# What golang:*-bookworm has beyond Debian's minimal system (its buildpack-deps:bookworm-scm
# base, trimmed to what Go and docker/local/setup.sh use): cgo's compiler, git for modules, certificates.
packages=ca-certificates,git,gcc,libc6-dev,make,pkg-config,procps,netbase
# GDLESSON_IMAGE_EXTRA: more packages, comma-separated (docker/hub/systemd/test.sh adds systemd).
[[ ${GDLESSON_IMAGE_EXTRA:-} =~ ^[a-z0-9.+,-]*$ ]] || die "GDLESSON_IMAGE_EXTRA='$GDLESSON_IMAGE_EXTRA': use Debian package names separated by commas"
packages+=${GDLESSON_IMAGE_EXTRA:+,$GDLESSON_IMAGE_EXTRA}

# The cache key: what goes into the base. Raise recipe when the steps below change.
recipe=1
key=$(printf '%s\n' "$recipe" "$mirror" "$packages" "$gover" | sha256sum | cut -c1-12)
tag=bookworm-$gover-$key
name=localhost/gdlesson-base:$tag
tarball=$cache/base-$tag.tar

if podman image exists "$name"; then
	log "reusing the podman image $name"
	echo "$name"
	exit 0
fi

mkdir -p "$cache"
if [[ ! -s $tarball ]]; then
	log "no cached base ($tarball): debootstrap of Debian 12 from $mirror, plus $gover from $goroot"
	start=$SECONDS
	root=$(mktemp -d "$cache/rootfs.XXXXXX")
	trap 'rm -rf "$root" "$tarball.new"' EXIT
	debootstrap --variant=minbase --include="$packages" bookworm "$root" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
		die "debootstrap failed (its log: $cache/debootstrap.log; last lines: $(tail -n 3 "$cache/debootstrap.log" | tr '\n' ' '))"
	# apt inside the image reads the same suites as this machine: the point releases and the
	# security updates too (docker/local/setup.sh installs chromium, which only the latter keep current).
	rm -f "$root/etc/apt/sources.list"
	cat >"$root/etc/apt/sources.list.d/debian.sources" <<-EOF
	Types: deb
	URIs: $mirror
	Suites: bookworm bookworm-updates
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

	Types: deb
	URIs: $security
	Suites: bookworm-security
	Components: main
	Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOF
	# As the official Debian images: no downloaded packages or lists kept in a layer.
	cat >"$root/etc/apt/apt.conf.d/docker-clean" <<-'EOF'
	DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
	APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
	Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
	EOF
	rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb "$root"/var/log/*.log
	cp -a "$goroot" "$root/usr/local/go"
	mkdir -p "$root/go/bin" "$root/go/src"
	chmod -R 1777 "$root/go"
	tar -C "$root" --numeric-owner -cf "$tarball.new" .
	mv "$tarball.new" "$tarball"
	rm -rf "$root"
	trap - EXIT
	log "base tarball made in $((SECONDS - start)) s: $tarball ($(du -h "$tarball" | cut -f1))"
fi

log "importing $tarball as $name"
podman import \
	--change 'ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
	--change 'ENV GOPATH=/go' \
	--change 'ENV GOTOOLCHAIN=local' \
	--change 'WORKDIR /go' \
	--change 'CMD ["bash"]' \
	--message "Debian 12 by debootstrap from $mirror, with $gover" \
	"$tarball" "$name" >/dev/null || die "podman import of $tarball failed"
echo "$name"
