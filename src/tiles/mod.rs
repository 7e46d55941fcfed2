//! XYZ tiles: the pure tile maths (more to come: pyramids and writers).

pub mod xyz;
