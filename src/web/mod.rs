//! What every page shares: rendering, the request context, middleware, pagination,
//! flash messages, what pages keep between requests and the embedded static files.

pub mod assets;
pub mod chart;
pub mod choice;
pub mod context;
pub mod cookies;
pub mod kept;
pub mod middleware;
pub mod nav;
pub mod pagination;
pub mod render;

pub use context::ReqCtx;
