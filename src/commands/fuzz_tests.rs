//! Every parser takes arbitrary text (command output is input zonerescue does not control)
//! without panicking: bad output must become a ParseError or be skipped, never a crash.

use proptest::prelude::*;

use super::*;

/// Text made of the characters the formats are built from, so that it often comes close to
/// valid lines, plus arbitrary Unicode.
fn output() -> impl Strategy<Value = String> {
    prop_oneof![
        "[-a-z0-9:;@/,.()\\\\ \t\n]{0,300}",
        "\\PC{0,200}",
        prop::collection::vec("[-a-z0-9:;@/ \t]{0,12}", 0..12).prop_map(|v| v.join("\t") + "\n"),
    ]
}

proptest! {
    #[test]
    fn parsers_never_panic(s in output()) {
        let _ = zoneadm::parse_list(&s);
        let _ = zoneadm::parse_list_verbose(&s);
        let _ = zonecfg::parse_info_value(&s, zonecfg::Property::Zonepath);
        let _ = pkg::parse_publisher_tsv(&s);
        let _ = pkg::parse_publisher_table(&s);
        let _ = pkg::parse_list(&s);
        let _ = pkg::parse_info(&s);
        let _ = pkg::parse_variants(&s);
        let _ = pkg::parse_plan(&s);
        let _ = pkg::parse_uninstall_blocks(&s);
        let _ = pkg::parse_history(&s);
        let _ = pkg::parse_unreachable_publishers(&s);
        let _ = beadm::parse_list(&s);
        let _ = zfs::parse_list(&s, &["name", "mountpoint", "zoned"]);
        let _ = zfs::parse_get(&s);
        let _ = zfs::parse_get_values(&s);
        let _ = mount::parse_mount_p(&s);
        let _ = svcs::parse_svcs_x(&s);
        let _ = Fmri::parse(&s);
        let _ = validate_zone_name(&s);
        let _ = validate_uri(&s);
        let _ = zfs::validate_snapshot(&s);
    }

    #[test]
    fn beadm_lines_round_trip(
        name in "[a-z][a-z0-9_.-]{0,20}",
        uuid in prop::option::of("[0-9a-f-]{36}"),
        flags in prop::sample::select(vec!["N", "R", "NR", "-", "!R", "x", "b"]),
        mountpoint in prop::option::of("/[a-z/]{0,20}"),
        space in prop::option::of(any::<u64>()),
        created in prop::option::of(0i64..4_000_000_000),
    ) {
        let line = format!(
            "{name};{};{flags};{};{};static;{}",
            uuid.clone().unwrap_or_default(),
            mountpoint.clone().unwrap_or_default(),
            space.map(|s| s.to_string()).unwrap_or_default(),
            created.map(|c| c.to_string()).unwrap_or_default(),
        );
        let be = beadm::parse_line(&line).unwrap();
        prop_assert_eq!(be.name, name);
        prop_assert_eq!(be.uuid, uuid);
        prop_assert_eq!(be.flags.as_str(), flags);
        prop_assert_eq!(be.mountpoint, mountpoint);
        prop_assert_eq!((be.space, be.created), (space, created));
        prop_assert_eq!(be.flags.contains('N'), flags.contains('N'));
    }
}
