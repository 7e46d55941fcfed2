//! A loaded project: every layer read, checked against the others, and referenced
//! to the border.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use geo::{BoundingRect, Contains, Rect};
use serde_json::{Map, Value};

use crate::config::{Project, Source};
use crate::linref::{Border, Hand, Located};
use crate::load::{self, Area, LoadError, Loaded};
use crate::model::{Country, Incident, Location, LonLat, Place as Town, Post};

/// Where a point lies relative to the border, the countries and the posts.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// Position along the border and signed offset.
    pub located: Located,
    /// Country code of the base-map polygon holding the point, if any.
    pub country: Option<String>,
    /// The geodesically nearest post: id, its km along the border, and the distance in km.
    pub nearest_post: Option<(String, f64, f64)>,
}

impl Reference {
    /// The side as written in exports: the country code when known, else left/right.
    pub fn side(&self) -> String {
        self.country
            .clone()
            .unwrap_or_else(|| self.located.hand().as_str().to_string())
    }

    /// Left or right of the border's direction of travel.
    pub fn hand(&self) -> Hand {
        self.located.hand()
    }
}

/// Everything a map or export needs, loaded and checked.
#[derive(Debug)]
pub struct Dataset {
    /// The border line.
    pub border: Border,
    /// The border feature's input properties.
    pub border_properties: Map<String, Value>,
    /// Stretches of the border that are disputed or de facto (from its properties).
    pub stretches: Vec<crate::linref::status::Stretch>,
    /// Border posts, with their references in the same order.
    pub posts: Vec<Post>,
    /// `posts[i]`'s reference to the border.
    pub post_refs: Vec<Reference>,
    /// Context places.
    pub places: Vec<Town>,
    /// Base-map countries.
    pub countries: Vec<Country>,
    country_boxes: Vec<Rect<f64>>,
    /// Incidents, in file order.
    pub incidents: Vec<Incident>,
    /// Paths of the inputs, by layer name, for summaries and attribution.
    pub inputs: Vec<(&'static str, PathBuf)>,
    /// Every problem found in records that were skipped; a non-empty list means exit non-zero.
    pub problems: Vec<LoadError>,
    /// Remarks that are not errors, such as a file read as Windows-1252.
    pub notes: Vec<String>,
    /// Warnings: things that load but may be wrong (a border crossing itself, a long bridge).
    pub warnings: Vec<String>,
    /// Per incident file: records read, kept, and rejected.
    pub incident_counts: Vec<(PathBuf, usize, usize, usize)>,
    /// Post index by id.
    post_index: std::collections::HashMap<String, usize>,
}

/// Counts for `validate` and `-v`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Border length in km.
    pub border_km: f64,
    /// Border vertices after stitching.
    pub vertices: usize,
    /// Pieces in the input border.
    pub pieces: usize,
    /// Bridges added between pieces.
    pub bridges: usize,
    /// Posts kept.
    pub posts: usize,
    /// Places kept.
    pub places: usize,
    /// Countries kept.
    pub countries: usize,
    /// Incidents kept.
    pub incidents: usize,
    /// Claims over all incidents.
    pub claims: usize,
    /// Problems reported.
    pub problems: usize,
}

fn take<T>(loaded: Result<Loaded<T>, LoadError>, problems: &mut Vec<LoadError>) -> Vec<T> {
    match loaded {
        Ok(l) => {
            problems.extend(l.problems);
            l.items
        }
        Err(e) => {
            problems.push(e);
            Vec::new()
        }
    }
}

impl Dataset {
    /// Loads every layer of `project`. A broken border stops the load (all its
    /// problems are returned); problems in other layers are collected in `problems`.
    pub fn load(project: &Project) -> Result<Self, Vec<LoadError>> {
        let border_text = project.border.read().map_err(|e| vec![e])?;
        let layer = load::border(&project.border.path(), &border_text)?;
        let border = layer.border;
        let stretches = crate::linref::status::stretches(&layer.properties, border.length_km())
            .map_err(|(field, message)| {
                vec![LoadError::field(
                    &project.border.path(),
                    load::Place::File,
                    field,
                    message,
                )]
            })?;
        let area = Some(Area(border.bbox()).padded());
        let country_key = project.country_field.as_deref();
        let mut problems = Vec::new();
        let mut inputs = vec![("border", project.border.path())];

        let read = |src: &Source, problems: &mut Vec<LoadError>| match src.read() {
            Ok(t) => Some(t),
            Err(e) => {
                problems.push(e);
                None
            }
        };
        let mut posts = Vec::new();
        if let Some(src) = &project.posts {
            inputs.push(("posts", src.path()));
            if let Some(text) = read(src, &mut problems) {
                posts = take(
                    load::posts(&src.path(), &text, area, country_key),
                    &mut problems,
                );
            }
        }
        let mut places = Vec::new();
        if let Some(src) = &project.places {
            inputs.push(("places", src.path()));
            if let Some(text) = read(src, &mut problems) {
                places = take(load::places(&src.path(), &text, area), &mut problems);
            }
        }
        let mut countries = Vec::new();
        if let Some(src) = &project.basemap {
            inputs.push(("basemap", src.path()));
            if let Some(text) = read(src, &mut problems) {
                countries = take(
                    load::basemap(&src.path(), &text, country_key),
                    &mut problems,
                );
            }
        }
        let mut incidents: Vec<Incident> = Vec::new();
        let mut notes = Vec::new();
        let mut counts: Vec<(PathBuf, usize, usize)> = Vec::new();
        for src in &project.incidents {
            inputs.push(("incidents", src.path()));
            let ext = src.extension();
            let loaded = match src {
                // Streamed row by row rather than held in memory.
                Source::File(path) if ext == "csv" => {
                    load::csv::from_csv_file(path, area, &project.csv)
                }
                Source::File(path) if ext == "geojson" || ext == "json" => {
                    load::incidents::from_geojson_file(path, area)
                }
                _ => src.read_bytes().and_then(|bytes| {
                    if ext != "geojson" && ext != "json" && load::csv::looks_like_csv(&bytes) {
                        load::csv::from_csv(&src.path(), &bytes, area, &project.csv)
                    } else {
                        Source::text_of(&src.path(), bytes).and_then(|text| {
                            load::incidents::from_geojson(&src.path(), &text, area)
                        })
                    }
                }),
            };
            if let Err(e @ LoadError::Read { .. }) = loaded {
                problems.push(e);
                continue;
            }
            if let Ok(l) = &loaded {
                notes.extend(l.notes.iter().cloned());
            }
            let before = problems.len();
            let mut items = take(loaded, &mut problems);
            // Each rejected record is one problem; a file-level problem rejects nothing read.
            counts.push((
                src.path(),
                items.len() + problems.len() - before,
                items.len(),
            ));
            let file: Arc<Path> = src.path().into();
            for inc in &mut items {
                inc.origin_file = Some(file.clone());
            }
            // Moved, not copied, for the first (usually only) file.
            if incidents.is_empty() {
                incidents = items;
            } else {
                incidents.append(&mut items);
            }
        }
        let country_boxes = countries
            .iter()
            .map(|c| {
                c.shape
                    .bounding_rect()
                    .unwrap_or(Rect::new((0.0, 0.0), (0.0, 0.0)))
            })
            .collect();
        let mut data = Self {
            border,
            border_properties: layer.properties,
            stretches,
            posts,
            post_refs: Vec::new(),
            places,
            countries,
            country_boxes,
            incidents: Vec::new(),
            inputs,
            problems,
            notes,
            warnings: Vec::new(),
            incident_counts: Vec::new(),
            post_index: std::collections::HashMap::new(),
        };
        data.warnings = crate::linref::checks::warnings(&data.border);
        data.post_index = data
            .posts
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        data.post_refs = data.posts.iter().map(|p| data.reference(p.at)).collect();
        data.check_incidents(&mut incidents, project.incidents.len() > 1);
        data.incidents = incidents;
        data.incident_counts = counts
            .into_iter()
            .map(|(path, read, _)| {
                let kept = data
                    .incidents
                    .iter()
                    .filter(|i| i.origin_file.as_deref() == Some(path.as_path()))
                    .count();
                (path, read, kept, read - kept)
            })
            .collect();
        Ok(data)
    }

    /// Checks what one incident file cannot check alone: ids across files (when there are
    /// several), post ids, km ranges. Rejected incidents are removed in place.
    fn check_incidents(&mut self, incidents: &mut Vec<Incident>, several_files: bool) {
        let mut seen: std::collections::HashMap<compact_str::CompactString, Arc<Path>> =
            std::collections::HashMap::new();
        let length = self.border.length_km();
        let mut problems = std::mem::take(&mut self.problems);
        incidents.retain(|inc| {
            let problem = match &inc.location {
                Location::Post { post_id } if !self.post_index.contains_key(post_id) => Some((
                    "post_id",
                    format!("\"{post_id}\" is not the id of any loaded post"),
                )),
                Location::KmRange { from_km, to_km } if *from_km < 0.0 || *to_km > length => {
                    Some((
                        "km_from",
                        format!(
                            "the range {from_km}–{to_km} km lies outside the border (0 to {length:.1} km)"
                        ),
                    ))
                }
                _ => None,
            };
            let file = inc.origin_file.clone();
            let problem = problem.or_else(|| {
                if !several_files {
                    return None;
                }
                match seen.get(&inc.id) {
                    Some(other) if Some(other) != file.as_ref() => Some((
                        "id",
                        format!("\"{}\" is already used in {}", inc.id, other.display()),
                    )),
                    _ => None,
                }
            });
            match (problem, file) {
                (Some((field, message)), file) => {
                    let path = file.as_deref().unwrap_or(Path::new("?"));
                    problems.push(LoadError::field(path, inc.place(), field, message));
                    false
                }
                (None, file) => {
                    if let Some(file) = file.filter(|_| several_files) {
                        seen.insert(inc.id.clone(), file);
                    }
                    true
                }
            }
        });
        self.problems = problems;
    }

    /// References a point to the border, the countries and the nearest post.
    pub fn reference(&self, p: LonLat) -> Reference {
        let located = self.border.locate(p);
        let country = self.country_at(p);
        let nearest_post = self.nearest_post(p);
        Reference {
            located,
            country,
            nearest_post,
        }
    }

    /// The code of the base-map country that contains `p`.
    pub fn country_at(&self, p: LonLat) -> Option<String> {
        let pt = geo::Point::new(p.lon, p.lat);
        self.countries
            .iter()
            .zip(&self.country_boxes)
            .find(|(c, bx)| bx.contains(&pt) && c.shape.contains(&pt))
            .map(|(c, _)| c.code.clone())
    }

    fn nearest_post(&self, p: LonLat) -> Option<(String, f64, f64)> {
        // A planar pre-sort picks a few candidates; the geodesic decides among them.
        let cos = p.lat.to_radians().cos();
        let mut order: Vec<(f64, usize)> = self
            .posts
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let dx = (q.at.lon - p.lon) * cos;
                let dy = q.at.lat - p.lat;
                (dx * dx + dy * dy, i)
            })
            .collect();
        order.sort_by(|a, b| a.0.total_cmp(&b.0));
        order
            .iter()
            .take(4)
            .map(|&(_, i)| (crate::geodesy::distance_km(p, self.posts[i].at), i))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(km, i)| {
                let post_km = self
                    .post_refs
                    .get(i)
                    .map_or(f64::NAN, |r| r.located.along_km);
                (self.posts[i].id.clone(), post_km, km)
            })
    }

    /// The post with this id.
    pub fn post(&self, id: &str) -> Option<(&Post, &Reference)> {
        self.post_index
            .get(id)
            .and_then(|&i| Some((self.posts.get(i)?, self.post_refs.get(i)?)))
    }

    /// Counts for summaries.
    pub fn summary(&self) -> Summary {
        Summary {
            border_km: self.border.length_km(),
            vertices: self.border.vertices().len(),
            pieces: self.border.pieces(),
            bridges: self.border.bridges().len(),
            posts: self.posts.len(),
            places: self.places.len(),
            countries: self.countries.len(),
            incidents: self.incidents.len(),
            claims: self.incidents.iter().map(|i| i.claims.len()).sum(),
            problems: self.problems.len(),
        }
    }
}
