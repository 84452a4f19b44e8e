//! `yodnoma link-csv` as an archivist runs it: two lists in, pairs out, and clear refusals.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_yodnoma");

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn link(args: &[&Path], extra: &[&str]) -> Output {
    Command::new(BIN)
        .arg("link-csv")
        .args(args)
        .args(extra)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A museum list in Latin letters and a memory book in Cyrillic: the same persons under other
/// spellings, and namesakes born years apart.
fn lists(dir: &Path) -> (PathBuf, PathBuf) {
    let surnames = [
        ("Momyshuly", "Момыш-улы"),
        ("Moldagulova", "Молдагулова"),
        ("Abdullayev", "Абдуллаев"),
        ("Toqtarov", "Токтаров"),
        ("Begeldinov", "Бегельдинов"),
        ("Nurmatov", "Нурматов"),
        ("Rahimov", "Рахимов"),
        ("Karimov", "Каримов"),
    ];
    let given = [
        ("Bauyrzhan", "Бауыржан"),
        ("Aliya", "Алия"),
        ("Talgat", "Талгат"),
        ("Fayzulla", "Файзулла"),
        ("Sabir", "Сабир"),
    ];
    let mut museum = String::from("id,surname,given_name,birth_year\n");
    let mut book = String::from("no,surname,given_name,birth_year\n");
    let mut n = 0;
    for (s, (latin_s, cyr_s)) in surnames.iter().enumerate() {
        for (g, (latin_g, cyr_g)) in given.iter().enumerate() {
            n += 1;
            let year = 1900 + (s * 5 + g * 7) % 26;
            museum.push_str(&format!("m{n},{latin_s},{latin_g},{year}\n"));
            book.push_str(&format!("b{n},{cyr_s},{cyr_g},{year}\n"));
        }
    }
    (
        write(dir, "museum.csv", &museum),
        write(dir, "book.csv", &book),
    )
}

#[test]
fn a_museum_list_is_linked_to_a_memory_book_across_scripts() {
    let dir = tempfile::tempdir().unwrap();
    let (museum, book) = lists(dir.path());
    let output = Command::new(BIN)
        .arg("link-csv")
        .args([&museum, &book])
        .args(["--id", "id"])
        .output()
        .unwrap();
    // The two lists name their id columns differently: refused, naming the column and file.
    assert!(!output.status.success());
    assert!(stderr(&output).contains("\"id\""), "{}", stderr(&output));
    assert!(stderr(&output).contains("book.csv"), "{}", stderr(&output));

    let book_text = std::fs::read_to_string(&book)
        .unwrap()
        .replacen("no,", "id,", 1);
    std::fs::write(&book, book_text).unwrap();
    let out = dir.path().join("pairs.csv");
    let output = link(
        &[&museum, &book],
        &["--id", "id", "--out", out.to_str().unwrap()],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let mut reader = csv::Reader::from_path(&out).unwrap();
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "left_id",
            "right_id",
            "probability",
            "decision",
            "explanation"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let matches: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[3] == "match").collect();
    let right = matches.iter().filter(|r| r[0][1..] == r[1][1..]).count();
    assert!(right >= 38, "{right} of 40 persons linked");
    assert_eq!(right, matches.len(), "no match joins two persons");
    assert!(matches.iter().all(|r| r[4].contains("surname: ")));
    assert!(
        stderr(&output).contains("80 records"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn bad_lists_are_refused_naming_what_and_where() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.csv", "id,name\n1,Ахметов\n2,Ахметов\n");
    let cases: Vec<(PathBuf, Vec<&str>, &str)> = vec![
        (
            write(dir.path(), "empty.csv", ""),
            vec!["--id", "id"],
            "empty",
        ),
        (
            write(dir.path(), "header.csv", "id,name\n"),
            vec!["--id", "id"],
            "no records",
        ),
        (
            write(
                dir.path(),
                "dup.csv",
                "id,name\n1,Ахметов\n2,Уразов\n1,Каримов\n",
            ),
            vec!["--id", "id"],
            "line 4: the id \"1\" is also on line 2",
        ),
        (
            write(
                dir.path(),
                "ragged.csv",
                "id,name\n1,Ахметов\n2,Уразов,extra\n",
            ),
            vec!["--id", "id"],
            "line 3: 3 fields where the header has 2",
        ),
        (good.clone(), vec!["--id", "rec_id"], "no column \"rec_id\""),
        (
            good.clone(),
            vec!["--id", "id", "--fields", "surname"],
            "no column \"surname\"",
        ),
        (
            good.clone(),
            vec!["--id", "id", "--fields", "name:colour"],
            "\"colour\" is not a kind of field",
        ),
        (
            write(dir.path(), "noid.csv", "id,name\n1,Ахметов\n,Уразов\n"),
            vec!["--id", "id"],
            "line 3: the id is empty",
        ),
    ];
    for (file, args, expected) in cases {
        let output = link(&[&file], &args);
        assert!(!output.status.success(), "{} was accepted", file.display());
        let message = stderr(&output);
        assert!(message.contains(expected), "{}: {message}", file.display());
        assert!(!message.contains("panicked"), "{message}");
    }
    let missing = dir.path().join("missing.csv");
    let output = link(&[&missing], &["--id", "id"]);
    assert!(
        stderr(&output).contains("missing.csv"),
        "{}",
        stderr(&output)
    );
}
