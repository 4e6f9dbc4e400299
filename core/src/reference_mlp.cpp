#include "internal/reference_mlp.hpp"

#include <cmath>

#include <Eigen/Core>

namespace tinydiff {
namespace {

using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<Matrix>;
using ConstMatrixMap = Eigen::Map<const Matrix>;
using ConstVectorMap = Eigen::Map<const Eigen::RowVectorXd>;
using VectorMap = Eigen::Map<Eigen::RowVectorXd>;

// The exact erf GELU and its derivative Phi(a) + a phi(a).
double gelu(double a) { return 0.5 * a * (1.0 + std::erf(a / std::sqrt(2.0))); }
double gelu_slope(double a) {
  const double pi = 3.14159265358979323846;
  return 0.5 * (1.0 + std::erf(a / std::sqrt(2.0))) + a * std::exp(-0.5 * a * a) / std::sqrt(2.0 * pi);
}

// The reference's PositionalEmbedding of one column of values, into
// columns [col, col + width) of emb [B, D].
void embed(MatrixMap& emb, int col, const std::vector<double>& values, EmbeddingKind kind, int E,
           double scale, const double* weight, const double* bias) {
  const int B = int(values.size());
  for (int b = 0; b < B; ++b) {
    const double v = values[size_t(b)];
    switch (kind) {
      case EmbeddingKind::Sinusoidal: {  // [sin(v s f_k), cos(v s f_k)], f_k = 10000^(-k / (E/2 - 1))
        const int half = E / 2;
        for (int k = 0; k < half; ++k) {
          const double f = std::exp(-std::log(10000.0) / double(half - 1) * double(k));
          emb(b, col + k) = std::sin(v * scale * f);
          emb(b, col + half + k) = std::cos(v * scale * f);
        }
        break;
      }
      case EmbeddingKind::Learnable:  // nn.Linear(1, E) of v / E
        for (int e = 0; e < E; ++e) emb(b, col + e) = v / E * weight[e] + bias[e];
        break;
      case EmbeddingKind::Linear: emb(b, col) = v / E * scale; break;
      case EmbeddingKind::Identity: emb(b, col) = v; break;
      case EmbeddingKind::Zero: emb(b, col) = 0.0; break;
    }
  }
}

}  // namespace

ReferenceMlp::ReferenceMlp(const ModelConfig& config) : layout_(config) {}

std::vector<double> ReferenceMlp::forward(const double* params, const double* xy, const int* t, int B,
                                          const int* labels) {
  const MlpLayout& l = layout_;
  const ModelConfig& c = l.config;
  const int H = c.hidden_size, L = c.hidden_layers, D = l.input_dim, E = c.embedding_size;
  batch_ = B;
  x_.resize(size_t(B));
  y_.resize(size_t(B));
  t_.resize(size_t(B));
  labels_.resize(size_t(B));
  for (int b = 0; b < B; ++b) {
    x_[size_t(b)] = xy[2 * b];
    y_[size_t(b)] = xy[2 * b + 1];
    t_[size_t(b)] = t[b];
    labels_[size_t(b)] = labels ? labels[b] : l.no_class();
  }
  auto at = [params](size_t offset) { return offset == MlpLayout::kAbsent ? nullptr : params + offset; };
  emb_.assign(size_t(B) * D, 0.0);
  MatrixMap emb(emb_.data(), B, D);
  embed(emb, 0, x_, c.input_embedding, E, c.input_scale, at(l.in1_w), at(l.in1_b));
  embed(emb, l.input_width, y_, c.input_embedding, E, c.input_scale, at(l.in2_w), at(l.in2_b));
  embed(emb, 2 * l.input_width, t_, c.time_embedding, E, 1.0, at(l.time_w), at(l.time_b));
  if (l.class_width > 0) {  // nn.Embedding: the label's row of the table
    for (int b = 0; b < B; ++b) {
      emb.block(b, l.class_column(), 1, E) = ConstMatrixMap(params + l.class_table + size_t(labels_[size_t(b)]) * E, 1, E);
    }
  }

  pre_.assign(size_t(L) + 1, std::vector<double>(size_t(B) * H));
  hid_.assign(size_t(L) + 1, std::vector<double>(size_t(B) * H));
  for (int i = 0; i <= L; ++i) {
    // a_0 = emb W_in^T + b_in, h_0 = gelu(a_0); a_i = h_{i-1} W_i^T + b_i, h_i = h_{i-1} + gelu(a_i)
    const bool first = i == 0;
    const int n_in = first ? D : H;
    ConstMatrixMap input(first ? emb_.data() : hid_[size_t(i) - 1].data(), B, n_in);
    ConstMatrixMap W(params + (first ? l.w_in : l.w_block[size_t(i) - 1]), H, n_in);
    ConstVectorMap bias(params + (first ? l.b_in : l.b_block[size_t(i) - 1]), H);
    MatrixMap a(pre_[size_t(i)].data(), B, H);
    a = (input * W.transpose()).rowwise() + bias;
    MatrixMap h(hid_[size_t(i)].data(), B, H);
    h = a.unaryExpr([](double v) { return gelu(v); });
    if (!first) h += input;
  }
  std::vector<double> out(size_t(B) * 2);
  MatrixMap(out.data(), B, 2) = (ConstMatrixMap(hid_[size_t(L)].data(), B, H) *
                                 ConstMatrixMap(params + l.w_out, 2, H).transpose())
                                    .rowwise() +
                                ConstVectorMap(params + l.b_out, 2);
  return out;
}

std::vector<double> ReferenceMlp::backward(const double* params, const double* d_out_ptr) const {
  const MlpLayout& l = layout_;
  const ModelConfig& c = l.config;
  const int B = batch_, H = c.hidden_size, L = c.hidden_layers, D = l.input_dim, E = c.embedding_size;
  std::vector<double> grads(l.num_params, 0.0);
  auto grad = [&](size_t offset, int rows, int cols) { return MatrixMap(grads.data() + offset, rows, cols); };

  // out = h_L W_out^T + b_out
  ConstMatrixMap d_out(d_out_ptr, B, 2);
  grad(l.w_out, 2, H) = d_out.transpose() * ConstMatrixMap(hid_[size_t(L)].data(), B, H);
  grad(l.b_out, 1, 2) = d_out.colwise().sum();
  Matrix d_h = d_out * ConstMatrixMap(params + l.w_out, 2, H);

  for (int i = L; i >= 0; --i) {
    const bool first = i == 0;
    const int n_in = first ? D : H;
    ConstMatrixMap a(pre_[size_t(i)].data(), B, H);
    const Matrix d_a = d_h.cwiseProduct(a.unaryExpr([](double v) { return gelu_slope(v); }));
    ConstMatrixMap input(first ? emb_.data() : hid_[size_t(i) - 1].data(), B, n_in);
    const size_t w = first ? l.w_in : l.w_block[size_t(i) - 1];
    const size_t bias = first ? l.b_in : l.b_block[size_t(i) - 1];
    grad(w, H, n_in) = d_a.transpose() * input;
    grad(bias, 1, H) = d_a.colwise().sum();
    const Matrix d_input = d_a * ConstMatrixMap(params + w, H, n_in);
    if (first) {
      // Only a learnable embedding has parameters: d W_e = sum_b d emb(b, e) v_b / E, d b_e = sum_b d emb(b, e).
      auto learnable = [&](size_t w_offset, size_t b_offset, int col, const std::vector<double>& values) {
        for (int e = 0; e < E; ++e) {
          for (int b = 0; b < B; ++b) {
            grads[w_offset + size_t(e)] += d_input(b, col + e) * values[size_t(b)] / E;
            grads[b_offset + size_t(e)] += d_input(b, col + e);
          }
        }
      };
      if (c.input_embedding == EmbeddingKind::Learnable) {
        learnable(l.in1_w, l.in1_b, 0, x_);
        learnable(l.in2_w, l.in2_b, l.input_width, y_);
      }
      if (c.time_embedding == EmbeddingKind::Learnable) learnable(l.time_w, l.time_b, 2 * l.input_width, t_);
      if (l.class_width > 0) {  // d table[label_b] += d emb(b, class columns)
        for (int b = 0; b < B; ++b) {
          MatrixMap(grads.data() + l.class_table + size_t(labels_[size_t(b)]) * E, 1, E) +=
              d_input.block(b, l.class_column(), 1, E);
        }
      }
    } else {
      d_h += d_input;  // the residual passes d_h on unchanged; the block adds W^T d_a
    }
  }
  return grads;
}

}  // namespace tinydiff
