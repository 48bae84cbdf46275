//! The three virtualenvs: `openstack` (Keystone and Watcher, which share their oslo libraries),
//! `monasca` (Monasca API, which needs older majors of several of them) and `clients` (the
//! Python `monasca` and `watcher` CLIs the tool's tests compare it with, kept apart so that no
//! server's dependencies move).
//!
//! A virtualenv is (re)installed when it does not yet hold exactly the requirements of this
//! checkout; the requirements it was installed from are kept in it as the marker.

use std::fs;
use std::process::Command;

use super::files;
use super::layout::Layout;
use super::step;

/// One virtualenv and what goes into it.
pub struct Venv {
    pub name: &'static str,
    requirements: &'static str,
}

/// Keystone and Watcher.
pub const OPENSTACK: Venv = Venv {
    name: "openstack",
    requirements: include_str!("../../servers/requirements-openstack.txt"),
};

/// Monasca API and its pins.
pub const MONASCA: Venv = Venv {
    name: "monasca",
    requirements: include_str!("../../servers/requirements-monasca.txt"),
};

/// python-monascaclient and python-watcherclient.
pub const CLIENTS: Venv = Venv {
    name: "clients",
    requirements: include_str!("../../servers/requirements-clients.txt"),
};

/// The Python that creates the virtualenvs: `$OPSCLIENT_PYTHON`, else `python3` on `PATH`.
fn base_python() -> String {
    std::env::var("OPSCLIENT_PYTHON").unwrap_or_else(|_| "python3".to_string())
}

impl Venv {
    /// Creates the virtualenv and installs its requirements, unless that is done already.
    /// Returns whether it installed anything.
    pub fn ensure(&self, layout: &Layout) -> Result<bool, String> {
        let dir = layout.venv(self.name);
        let marker = dir.join("opsclient-installed.txt");
        if fs::read_to_string(&marker).is_ok_and(|m| m == self.requirements) {
            return Ok(false);
        }
        println!("installing the {} virtualenv", self.name);
        let log = layout.log(&format!("venv-{}", self.name));
        let python = layout.venv_bin(self.name, "python");
        if !python.exists() {
            step::run(
                &format!("creating the {} virtualenv", self.name),
                Command::new(base_python()).args(["-m", "venv"]).arg(&dir),
                &log,
            )?;
        }
        let requirements = dir.join("opsclient-requirements.txt");
        files::write(&requirements, self.requirements)?;
        step::run(
            &format!("pip install into the {} virtualenv", self.name),
            Command::new(&python)
                .args(["-m", "pip", "install", "--no-input", "-r"])
                .arg(&requirements),
            &log,
        )?;
        files::write(&marker, self.requirements)?;
        Ok(true)
    }
}
