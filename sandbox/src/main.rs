//! `conversations-sandbox`: runs the sandbox until Ctrl-C or SIGTERM.

use std::io::Write;
use std::process::ExitCode;

use conversations_sandbox::cli::{parse_args, Command, USAGE};

fn main() -> ExitCode {
    let opts = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Run(opts)) => opts,
        Ok(Command::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            println!("conversations-sandbox {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("conversations-sandbox: {e}");
            return ExitCode::from(2);
        }
    };
    // Two workers: plenty for a test double, and polite on small CI machines.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("conversations-sandbox: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let sandbox = match conversations_sandbox::spawn(opts).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("conversations-sandbox: {e}");
                return ExitCode::FAILURE;
            }
        };
        // The one line scripts parse; flushed because stdout is a pipe under test harnesses.
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "conversations-sandbox listening on {}", sandbox.url());
        let _ = out.flush();
        drop(out);
        wait_for_signal().await;
        sandbox.shutdown().await;
        ExitCode::SUCCESS
    })
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
