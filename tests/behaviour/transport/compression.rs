//! Compressed answers: every client asks for `gzip, br, zstd` and decodes each; the body limit
//! counts decoded bytes, so a 10 MB gzip bomb that expands to some 10 GB ends in the limit's
//! typed error, holding no more than the limit; without compression nothing is asked for.

#![cfg(all(
    feature = "sensu",
    feature = "saltant",
    feature = "watcher",
    feature = "monasca"
))]

use std::io::Write;
use std::time::{Duration, Instant};

use super::allocations::peak_of;
use crate::fault_server::{Fault, FaultServer};
use opsclient::Error;
use serde_json::{json, Value};

/// 300 namespaces, as Sensu lists them.
fn namespace_list() -> Value {
    json!((0..300)
        .map(|i| json!({"name": format!("namespace-{i:04}")}))
        .collect::<Vec<_>>())
}

fn gzip(body: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(body).unwrap();
    encoder.finish().unwrap()
}

fn brotli(body: &[u8]) -> Vec<u8> {
    let mut encoder = brotli::CompressorWriter::new(Vec::new(), 4096, 5, 22);
    encoder.write_all(body).unwrap();
    encoder.into_inner()
}

fn zstd(body: &[u8]) -> Vec<u8> {
    zstd::encode_all(body, 3).unwrap()
}

/// An answer with `body` encoded as `encoding` says.
fn encoded(encoding: &str, body: Vec<u8>) -> Fault {
    Fault::Answer {
        status: 200,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("content-encoding".into(), encoding.into()),
        ],
        body,
    }
}

fn sensu(url: &str) -> opsclient::sensu::SensuClientBuilder {
    opsclient::sensu::Client::builder()
        .url(url)
        .api_key("k")
        .retry(opsclient::RetryPolicy::disabled())
}

#[tokio::test]
async fn a_compressed_list_is_decoded_in_each_encoding() {
    let server = FaultServer::start().await;
    let list = namespace_list();
    let plain = list.to_string().into_bytes();
    let client = sensu(&server.url).build().unwrap();
    for (encoding, body) in [
        ("gzip", gzip(&plain)),
        ("br", brotli(&plain)),
        ("zstd", zstd(&plain)),
    ] {
        assert!(body.len() * 5 < plain.len(), "{encoding} compresses");
        server.reset();
        server.script([encoded(encoding, body)]);
        let namespaces = client.list_namespaces().send().await.unwrap().into_inner();
        assert_eq!(
            serde_json::to_value(&namespaces).unwrap(),
            list,
            "{encoding}"
        );
        assert_eq!(
            server.seen()[0].header("accept-encoding"),
            Some("gzip, br, zstd")
        );
    }
}

#[tokio::test]
async fn the_body_limit_counts_decoded_bytes() {
    // 300 namespaces are some 9 KB decoded and far less on the wire: a limit between the two
    // refuses the answer.
    let server = FaultServer::start().await;
    let plain = namespace_list().to_string().into_bytes();
    let body = gzip(&plain);
    let limit = plain.len() - 1;
    assert!(body.len() < limit);
    server.script([encoded("gzip", body)]);
    let client = sensu(&server.url).max_body_size(limit).build().unwrap();
    let error = client.list_namespaces().send().await.unwrap_err();
    let Error::UnexpectedResponse(refused) = &error else {
        panic!("{error:?}")
    };
    assert!(
        refused
            .reason
            .contains(&format!("larger than the limit of {limit} bytes")),
        "{error}"
    );
}

#[tokio::test]
async fn without_compression_no_encoding_is_asked_for_or_decoded() {
    let server = FaultServer::start().await;
    let plain = namespace_list().to_string().into_bytes();
    server.script([
        Fault::json(200, namespace_list()),
        encoded("gzip", gzip(&plain)),
    ]);
    let client = sensu(&server.url).compression(false).build().unwrap();
    client.list_namespaces().send().await.unwrap();
    assert_eq!(server.seen()[0].header("accept-encoding"), None);
    // A server that compresses unasked gets its bytes taken as they are: not JSON.
    let error = client.list_namespaces().send().await.unwrap_err();
    assert!(matches!(error, Error::UnexpectedResponse(_)), "{error:?}");
}

#[tokio::test]
async fn a_corrupt_compressed_body_is_a_typed_error() {
    let server = FaultServer::start().await;
    let mut body = gzip(&namespace_list().to_string().into_bytes());
    let middle = body.len() / 2;
    body[middle..].fill(0xAB);
    server.script([encoded("gzip", body)]);
    let error = sensu(&server.url)
        .build()
        .unwrap()
        .list_namespaces()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
}

/// Compresses one MiB of zeros into a raw deflate block that ends on a full flush, so that
/// copies of it can follow each other in one stream.
fn deflated_mebibyte_of_zeros() -> Vec<u8> {
    let zeros = vec![0u8; 1 << 20];
    let mut compressor = flate2::Compress::new(flate2::Compression::best(), false);
    let mut segment = || {
        let mut out = Vec::with_capacity(4096);
        let start = compressor.total_in();
        loop {
            let consumed = (compressor.total_in() - start) as usize;
            compressor
                .compress_vec(&zeros[consumed..], &mut out, flate2::FlushCompress::Full)
                .unwrap();
            let consumed = (compressor.total_in() - start) as usize;
            if consumed == zeros.len() && out.len() < out.capacity() {
                return out;
            }
            out.reserve(4096);
        }
    };
    let first = segment();
    assert_eq!(first, segment(), "a full flush leaves nothing behind");
    first
}

/// A gzip stream of `mebibytes` MiB of zeros, made of copies of one compressed MiB, with its
/// final block and a true trailer (CRC-32 and length), so any decoder accepts it.
fn gzip_of_zeros(mebibytes: u64) -> Vec<u8> {
    let segment = deflated_mebibyte_of_zeros();
    let mut stream = Vec::with_capacity(segment.len() * mebibytes as usize + 64);
    stream.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff]);
    for _ in 0..mebibytes {
        stream.extend_from_slice(&segment);
    }
    let mut end = Vec::with_capacity(64);
    flate2::Compress::new(flate2::Compression::best(), false)
        .compress_vec(&[], &mut end, flate2::FlushCompress::Finish)
        .unwrap();
    stream.extend_from_slice(&end);
    // The CRC of n MiB of zeros, from that of one MiB, by doubling.
    let mut one = crc32fast::Hasher::new();
    one.update(&vec![0u8; 1 << 20]);
    let mut crc = crc32fast::Hasher::new();
    let (mut power, mut left) = (one, mebibytes);
    while left > 0 {
        if left & 1 == 1 {
            crc.combine(&power);
        }
        let copy = power.clone();
        power.combine(&copy);
        left >>= 1;
    }
    stream.extend_from_slice(&crc.finalize().to_le_bytes());
    stream.extend_from_slice(&((mebibytes << 20) as u32).to_le_bytes());
    stream
}

#[test]
fn the_bomb_is_a_valid_gzip_stream() {
    let bomb = gzip_of_zeros(5);
    let mut decoded = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bomb[..]), &mut decoded).unwrap();
    assert_eq!(decoded.len(), 5 << 20);
    assert!(decoded.iter().all(|b| *b == 0));
}

#[test]
fn a_gzip_bomb_ends_in_the_body_limit_with_bounded_memory() {
    const WIRE: usize = 10_000_000;
    const LIMIT: usize = 16 << 20;
    let started = Instant::now();
    let segment = deflated_mebibyte_of_zeros().len();
    let bomb = gzip_of_zeros((WIRE / segment) as u64);
    let expands_to = (WIRE / segment) << 20;
    assert!(bomb.len() <= WIRE + 1024 && bomb.len() > WIRE - 2 * segment);
    assert!(expands_to > 9 << 30, "{expands_to} bytes decoded");

    // The server runs on a thread of its own, so that only the client is measured.
    let (url_to, url) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let server = FaultServer::start().await;
            server.otherwise(encoded("gzip", bomb));
            url_to.send(server.url.clone()).unwrap();
            std::future::pending::<()>().await;
        });
    });
    let url = url.recv().unwrap();
    let client = sensu(&url)
        .max_body_size(LIMIT)
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (outcome, peak) = peak_of(|| runtime.block_on(client.list_namespaces().send()));

    let error = outcome.unwrap_err();
    let Error::UnexpectedResponse(refused) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(refused.status, Some(reqwest::StatusCode::OK));
    assert!(
        refused
            .reason
            .contains(&format!("larger than the limit of {LIMIT} bytes")),
        "{error}"
    );
    // The decoded body up to the limit, the decoder's window and the connection's buffers:
    // neither the expanded body nor the whole compressed one.
    assert!(peak <= LIMIT + LIMIT / 4, "held {peak} bytes at most");
    assert!(
        peak >= LIMIT,
        "held {peak} bytes: the body was read up to the limit"
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}
