//! hello-rs: greets whoever is named on the command line.

fn greeting(name: &str) -> String {
    format!("Hello, {name}!")
}

fn main() {
    let name = std::env::args().nth(1).unwrap_or_else(|| "world".to_string());
    println!("{}", greeting(&name));
}

#[cfg(test)]
mod tests {
    #[test]
    fn greets() {
        assert_eq!(super::greeting("PyPI"), "Hello, PyPI!");
    }
}
