import type { LibraryAllowlist } from './allowlist.js';

/** XGBoost scikit-learn wrappers and boosters (which pickle their model as raw bytes). */
export const XGBOOST_ALLOWLIST: LibraryAllowlist = {
  library: 'xgboost',
  modules: {
    'xgboost.sklearn': ['XGBModel XGBClassifier XGBRegressor XGBRanker XGBRFClassifier XGBRFRegressor'],
    'xgboost.core': ['Booster'],
  },
};

/** LightGBM scikit-learn wrappers and boosters (which pickle their model as text). */
export const LIGHTGBM_ALLOWLIST: LibraryAllowlist = {
  library: 'lightgbm',
  modules: {
    'lightgbm.sklearn': ['LGBMModel LGBMClassifier LGBMRegressor LGBMRanker'],
    'lightgbm.basic': ['Booster'],
  },
};

/** CatBoost models (which pickle their model as bytes). */
export const CATBOOST_ALLOWLIST: LibraryAllowlist = {
  library: 'catboost',
  modules: {
    'catboost.core': ['CatBoost CatBoostClassifier CatBoostRegressor CatBoostRanker'],
  },
};
