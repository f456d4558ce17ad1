//! The migrations are compiled into the binary (`embed_migrations!`): adding or editing one
//! must rebuild the crate, which cargo does not know without this.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
