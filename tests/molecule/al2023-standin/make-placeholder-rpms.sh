#!/usr/bin/env bash
# Builds empty-shell noarch RPMs named like the Amazon Linux 2023 packages the roles install, with the files the
# roles and their verify steps touch (config directories, systemd units whose service is `sleep infinity`),
# then a repository with createrepo_c, including an updateinfo.xml that marks one update as a security advisory
# so os_patch's `dnf --security` branch has something real to choose from.
set -euo pipefail
repo="$1"
top=$(mktemp -d)
mkdir -p "$top"/{SPECS,RPMS,BUILD,BUILDROOT,SOURCES} "$repo"

# name|version|files: space-separated "path" (file), "path/" (directory), "unit:<name>" (systemd unit),
# "exec:<path>" (a program that prints a placeholder notice and exits 0), "stub:<path>=<output>" (a program that
# prints <output>, "~" standing for a space, whatever its arguments: the version AL2023's real program reports, so the
# roles' version checks have something to read) or "user:<name>" (system user, %post).
# Names (and the versions the stubs report) are AL2023's, each with its public source in
# docs/docsite/rst/guide_al2023_packages.rst.
packages=(
  "system-release|2023.0|/etc/amazon-linux-standin"
  "ruby3.2|3.2.8|/usr/share/ruby-standin/ stub:/usr/bin/ruby=3.2.8"
  "ruby3.2-devel|3.2.8|/usr/include/ruby-standin/"
  "ruby3.2-rubygem-bundler|2.4.19|/usr/share/rubygem-bundler-standin/"
  "gcc|11.5.0|/usr/share/gcc-standin/"
  "gcc-c++|11.5.0|/usr/share/gcc-cxx-standin/"
  "make|4.3|/usr/share/make-standin/"
  "redhat-rpm-config|210|/usr/lib/rpm/redhat-standin/"
  "git|2.47.1|/usr/share/git-standin/"
  "libyaml-devel|0.2.5|/usr/include/libyaml-standin/"
  "libffi-devel|3.4.4|/usr/include/libffi-standin/"
  "openssl-devel|3.2.2|/usr/include/openssl-standin/"
  "zlib-devel|1.2.11|/usr/include/zlib-standin/"
  "nodejs20|20.19.4|/usr/share/nodejs20-standin/ stub:/usr/bin/node=20.19.4"
  "nodejs20-npm|10.8.2|/usr/share/nodejs20-npm-standin/"
  "postgresql17|17.5|/usr/share/postgresql17-standin/"
  "libpq-devel|17.5|/usr/include/libpq-standin/"
  "redis6|6.2.14|/etc/redis6/ /var/lib/redis6/ /var/log/redis6/ unit:redis6 user:redis6"
  "ImageMagick|6.9.12.82|/etc/ImageMagick-6/ stub:/usr/bin/identify=Version:~ImageMagick~6.9.12-82~Q16~x86_64~(AL2023~stand-in~placeholder)"
  "amazon-cloudwatch-agent|1.300032|/opt/aws/amazon-cloudwatch-agent/etc/ /opt/aws/amazon-cloudwatch-agent/bin/ /opt/aws/amazon-cloudwatch-agent/logs/ unit:amazon-cloudwatch-agent user:cwagent"
  "dnf-utils|4.3.0|exec:/usr/bin/needs-restarting"
  "standin-security-demo|1.0|/usr/share/standin-security-demo/"
  "standin-security-demo|1.1|/usr/share/standin-security-demo/"
  "standin-bugfix-demo|1.0|/usr/share/standin-bugfix-demo/"
  "standin-bugfix-demo|1.1|/usr/share/standin-bugfix-demo/"
)

for entry in "${packages[@]}"; do
  IFS='|' read -r name version files <<<"$entry"
  install_cmds=""; file_list=""; post_cmds=""
  for f in $files; do
    case "$f" in
      unit:*)
        unit="${f#unit:}"
        install_cmds+="mkdir -p %{buildroot}/usr/lib/systemd/system"$'\n'
        install_cmds+="printf '[Unit]\\nDescription=%s (placeholder)\\n[Service]\\nExecStart=/bin/sleep infinity\\n[Install]\\nWantedBy=multi-user.target\\n' '$unit' > %{buildroot}/usr/lib/systemd/system/$unit.service"$'\n'
        file_list+="/usr/lib/systemd/system/$unit.service"$'\n' ;;
      stub:*)
        spec="${f#stub:}"; prog="${spec%%=*}"; output="${spec#*=}"; output="${output//\~/ }"
        install_cmds+="mkdir -p %{buildroot}$(dirname "$prog")"$'\n'
        install_cmds+="printf '#!/bin/sh\\necho \"$output\"\\n' > %{buildroot}$prog && chmod 0755 %{buildroot}$prog"$'\n'
        file_list+="$prog"$'\n' ;;
      exec:*)
        prog="${f#exec:}"
        install_cmds+="mkdir -p %{buildroot}$(dirname "$prog")"$'\n'
        install_cmds+="printf '#!/bin/sh\\necho \"placeholder $(basename "$prog") (al2023 stand-in): nothing to report\"\\nexit 0\\n' > %{buildroot}$prog && chmod 0755 %{buildroot}$prog"$'\n'
        file_list+="$prog"$'\n' ;;
      user:*)
        account="${f#user:}"
        post_cmds+="getent group $account >/dev/null || groupadd --system $account"$'\n'
        post_cmds+="getent passwd $account >/dev/null || useradd --system --gid $account --no-create-home --shell /usr/sbin/nologin $account"$'\n' ;;
      */)
        install_cmds+="mkdir -p %{buildroot}$f"$'\n'
        file_list+="%dir $f"$'\n' ;;
      *)
        install_cmds+="mkdir -p %{buildroot}$(dirname "$f") && echo placeholder > %{buildroot}$f"$'\n'
        file_list+="$f"$'\n' ;;
    esac
  done
  provides=""
  # /bin/sh belongs to dpkg here; scriptlets need rpm to see it provided.
  [[ $name == system-release ]] && provides=$'Provides: system-release(releasever) = 2023\nProvides: /bin/sh'
  post_section=""
  [[ -n $post_cmds ]] && post_section=$'%post\n'"$post_cmds"
  cat > "$top/SPECS/$name-$version.spec" <<SPEC
Name: $name
Version: $version
Release: 1.amzn2023.standin
Summary: Placeholder for the Amazon Linux 2023 package $name (Molecule stand-in, no real contents)
License: MIT
BuildArch: noarch
AutoReqProv: no
$provides
%description
Placeholder RPM for the bakery.ami Molecule AL2023 stand-in. It carries the name, paths and units only.
%install
$install_cmds
$post_section
%files
$file_list
SPEC
  rpmbuild --quiet -bb --define "_topdir $top" --define '_build_id_links none' \
    --define '__os_install_post %{nil}' --define 'debug_package %{nil}' \
    "$top/SPECS/$name-$version.spec" >/dev/null
done
find "$top/RPMS" -name '*.rpm' -exec cp {} "$repo/" \;

cat > "$top/updateinfo.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<updates>
  <update from="bakery-standin" status="stable" type="security" version="1">
    <id>ALAS2023-STANDIN-0001</id>
    <title>Placeholder security update for standin-security-demo</title>
    <issued date="2025-01-01 00:00:00"/>
    <severity>Important</severity>
    <description>Stand-in advisory so that dnf --security has one security update to apply.</description>
    <pkglist><collection short="al2023-standin"><name>al2023-standin</name>
      <package name="standin-security-demo" version="1.1" release="1.amzn2023.standin" epoch="0" arch="noarch">
        <filename>standin-security-demo-1.1-1.amzn2023.standin.noarch.rpm</filename>
      </package>
    </collection></pkglist>
  </update>
  <update from="bakery-standin" status="stable" type="bugfix" version="1">
    <id>ALAS2023-STANDIN-0002</id>
    <title>Placeholder bug-fix update for standin-bugfix-demo</title>
    <issued date="2025-01-01 00:00:00"/>
    <description>Stand-in bug-fix advisory: a security-only run must leave it alone.</description>
    <pkglist><collection short="al2023-standin"><name>al2023-standin</name>
      <package name="standin-bugfix-demo" version="1.1" release="1.amzn2023.standin" epoch="0" arch="noarch">
        <filename>standin-bugfix-demo-1.1-1.amzn2023.standin.noarch.rpm</filename>
      </package>
    </collection></pkglist>
  </update>
</updates>
XML
createrepo_c --quiet "$repo"
modifyrepo_c --mdtype=updateinfo "$top/updateinfo.xml" "$repo/repodata" >/dev/null
rm -rf "$top"
