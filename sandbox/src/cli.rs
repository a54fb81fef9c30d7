//! Command-line parsing for the `conversations-sandbox` binary (hand-rolled: six flags do
//! not justify an argument-parsing dependency).

use std::path::PathBuf;

use crate::{Options, DEFAULT_PORT};

/// Usage text printed by `--help`.
pub const USAGE: &str = "\
conversations-sandbox: a local stand-in of the MessageMedia Conversations API (beta)

USAGE:
    conversations-sandbox [OPTIONS]

OPTIONS:
    --host HOST      address to listen on              [default: 127.0.0.1]
    --port PORT      port to listen on, 0 = any free   [default: 8080]
    --key KEY        API key (Basic-auth user name)    [default: sandbox-key]
    --secret SECRET  API secret (Basic-auth password)  [default: sandbox-secret]
    --data FILE      keep state in FILE across restarts (SQLite; each write
                     committed before it is answered; a JSON file of an earlier
                     version is migrated)
    --seed-demo      start provisioned with demo users and messages
    --allow-origin ORIGIN  let browser pages from ORIGIN call the API (CORS);
                     loopback origins always can (repeatable)
    --allow-host NAME  accept NAME in the Host header besides loopback names and
                     IP addresses (repeatable)
    -h, --help       print this help
    -V, --version    print the version

On start it prints one line: `conversations-sandbox listening on http://HOST:PORT`.
Control endpoints (/sandbox/*) need the same Basic credentials as the API.
";

/// What the command line asks for.
#[derive(Debug)]
pub enum Command {
    /// Serve with these options.
    Run(Options),
    /// Print [`USAGE`].
    Help,
    /// Print the version.
    Version,
}

/// Parses the arguments after the program name. Accepts `--flag value` and `--flag=value`.
pub fn parse_args<I: IntoIterator<Item = String>>(args: I) -> Result<Command, String> {
    let mut opts = Options {
        port: DEFAULT_PORT,
        ..Options::default()
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "--host" => opts.host = value("--host")?,
            "--port" => {
                let v = value("--port")?;
                opts.port = v
                    .parse()
                    .map_err(|_| format!("--port: {v:?} is not a port number (0-65535)"))?;
            }
            "--key" => opts.key = value("--key")?,
            "--secret" => opts.secret = value("--secret")?,
            "--data" => opts.data = Some(PathBuf::from(value("--data")?)),
            "--seed-demo" if inline.is_none() => opts.seed_demo = true,
            "--allow-origin" => opts.allow_origins.push(value("--allow-origin")?),
            "--allow-host" => opts.allow_hosts.push(value("--allow-host")?),
            other => return Err(format!("unknown argument {other:?} (see --help)")),
        }
    }
    Ok(Command::Run(opts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Options {
        match parse_args(args.iter().map(|s| s.to_string())) {
            Ok(Command::Run(o)) => o,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn defaults_and_flags() {
        let o = run(&[]);
        assert_eq!((o.host.as_str(), o.port), ("127.0.0.1", 8080));
        assert_eq!(
            (o.key.as_str(), o.secret.as_str()),
            ("sandbox-key", "sandbox-secret")
        );
        let o = run(&[
            "--port",
            "0",
            "--key=K",
            "--secret",
            "S",
            "--data",
            "x.json",
            "--seed-demo",
            "--host",
            "0.0.0.0",
        ]);
        assert_eq!(o.port, 0);
        assert_eq!(
            (o.key.as_str(), o.secret.as_str(), o.host.as_str()),
            ("K", "S", "0.0.0.0")
        );
        assert_eq!(o.data, Some(PathBuf::from("x.json")));
        assert!(o.seed_demo);
        let o = run(&[
            "--allow-origin",
            "https://a.example",
            "--allow-origin=https://b.example",
            "--allow-host",
            "sandbox",
        ]);
        assert_eq!(o.allow_origins, ["https://a.example", "https://b.example"]);
        assert_eq!(o.allow_hosts, ["sandbox"]);
    }

    #[test]
    fn rejects_bad_input() {
        let parse = |a: &[&str]| parse_args(a.iter().map(|s| s.to_string()));
        assert!(parse(&["--port", "99999"]).is_err());
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
        assert!(matches!(parse(&["--help"]), Ok(Command::Help)));
    }
}
